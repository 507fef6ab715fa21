import Dispatch

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

extension SIMD where Scalar: FloatingPoint {
    /// Element-wise absolute value.
    @inline(__always) var magnitudes: Self { pointwiseMax(self, -self) }
}
