import CoreMetrics
import Foundation
import Jobs
import NIOConcurrencyHelpers
import Prometheus
import TunesmithCore

/// The Prometheus registry behind `GET /metrics`. HTTP counters are written to it directly; the worker
/// pool's metrics (generation seconds, callback deliveries) arrive through swift-metrics once the serve
/// command called `bootstrapMetricsSystem()`; job counts by state are read from the store at each scrape.
public final class APIMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// The request counters already made, by label set: the registry's `makeCounter` builds the metric name,
    /// validates and sorts the labels and takes its own lock on every call, which a profile showed on every
    /// request; a lookup here is one small hash under a lock.
    private let requestCounters = CounterCache()

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Routes swift-metrics (used by the worker pool and libraries) into this registry. Call once per process
    /// (swift-metrics allows one bootstrap); tests use a fresh `APIMetrics` and never call it.
    public func bootstrapMetricsSystem() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // A song takes seconds to minutes: the default millisecond buckets would put every one in +Inf.
        factory.durationHistogramBuckets[JobMetrics.generationSecondsLabel] = JobMetrics.generationSecondsBuckets
        MetricsSystem.bootstrap(factory)
    }

    static var httpRequests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "tunesmith", metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests by route pattern, method and status")
    }
    /// Refreshed from the store at each scrape. Without help text, as the series has always been exported.
    static var jobsByState: MetricNameDescriptor {
        MetricNameDescriptor(metricName: JobMetrics.jobsByStateLabel, unitName: "", helpText: "")
    }

    func recordRequest(route: String, method: String, status: Int) {
        let key = RequestKey(route: route, method: method, status: status)
        let counter =
            requestCounters.counter(for: key)
            ?? requestCounters.insert(
                registry.makeCounter(
                    descriptor: Self.httpRequests,
                    labels: [("route", route), ("method", method), ("status", String(status))]),
                for: key)
        counter.increment()
    }

    /// The exposition text, with the job gauges refreshed from `counts` first.
    func scrape(jobCounts counts: [AudioStatus: Int]) -> [UInt8] {
        for status in AudioStatus.allCases {
            registry.makeGauge(descriptor: Self.jobsByState, labels: [("state", status.name.lowercased())])
                .set(to: Double(counts[status] ?? 0))
        }
        return registry.emitToBuffer()
    }
}

/// The labels of one HTTP request counter. Routes are patterns and methods/statuses few, so the set is small.
struct RequestKey: Hashable, Sendable {
    var route: String
    var method: String
    var status: Int
}

/// Counters by label set, guarded by a lock (lookups never suspend).
final class CounterCache: Sendable {
    private let counters = NIOLockedValueBox<[RequestKey: Prometheus.Counter]>([:])

    func counter(for key: RequestKey) -> Prometheus.Counter? {
        counters.withLockedValue { $0[key] }
    }

    /// Keeps the first counter stored for `key` (the registry returns the same one for the same labels anyway).
    func insert(_ counter: Prometheus.Counter, for key: RequestKey) -> Prometheus.Counter {
        counters.withLockedValue { counters in
            if let existing = counters[key] { return existing }
            counters[key] = counter
            return counter
        }
    }
}
