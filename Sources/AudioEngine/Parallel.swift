import Dispatch
import NIOConcurrencyHelpers

/// Runs `body(0)` ... `body(iterations - 1)` concurrently on Dispatch's worker threads and returns when all are
/// done.
///
/// The audio stages hand each iteration a disjoint slice of the same buffers through raw pointers, which Swift
/// cannot prove race-free, so the closure is wrapped as unchecked-Sendable here, in one place. Callers must only
/// let iterations write to disjoint memory (or to their own objects).
func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
    guard iterations > 1 else {
        if iterations == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let work = UncheckedSendable(escapable)
        DispatchQueue.concurrentPerform(iterations: iterations) { work.value($0) }
    }
}

struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Collects the first error thrown on any of several threads.
final class FirstError: Sendable {
    private let first = NIOLockedValueBox<(any Error)?>(nil)

    func record(_ error: any Error) {
        first.withLockedValue { if $0 == nil { $0 = error } }
    }

    var hasError: Bool { first.withLockedValue { $0 != nil } }

    func rethrow() throws {
        if let error = first.withLockedValue({ $0 }) { throw error }
    }
}

extension SIMD where Scalar: FloatingPoint {
    /// Element-wise absolute value.
    @inline(__always) var magnitudes: Self { pointwiseMax(self, -self) }
}
