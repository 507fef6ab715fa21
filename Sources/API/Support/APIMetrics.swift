import CoreMetrics
import Foundation
import Prometheus
import TunesmithCore

/// The Prometheus registry behind `GET /metrics`. HTTP counters are written to it directly; the worker
/// pool's metrics (generation seconds, callback deliveries) arrive through swift-metrics once the serve
/// command called `bootstrapMetricsSystem()`; job counts by state are read from the store at each scrape.
public final class APIMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Name of the swift-metrics `Timer` the worker pool records each generation's wall time with; it gets
    /// buckets fit for songs (seconds to minutes) instead of the default milliseconds.
    public static let generationTimerLabel = "tunesmith_generation_seconds"
    static let generationBuckets: [Duration] = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600].map { .seconds($0) }

    /// Routes swift-metrics (used by the worker pool and libraries) into this registry. Call once per process
    /// (swift-metrics allows one bootstrap); tests use a fresh `APIMetrics` and never call it.
    public func bootstrapMetricsSystem(extraHistogramLabels: [String] = []) {
        var factory = PrometheusMetricsFactory(registry: registry)
        for label in [Self.generationTimerLabel] + extraHistogramLabels {
            factory.durationHistogramBuckets[label] = Self.generationBuckets
        }
        MetricsSystem.bootstrap(factory)
    }

    static var httpRequests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tunesmith", metricName: "http_requests", unitName: "total",
        helpText: "HTTP requests by route pattern, method and status") }
    /// No help text: the worker pool may write the same gauge through swift-metrics, which registers none,
    /// and the registry insists both agree.
    static var jobsByState: MetricNameDescriptor { MetricNameDescriptor(metricName: "tunesmith_jobs", unitName: "", helpText: "") }

    func recordRequest(route: String, method: String, status: Int) {
        registry.makeCounter(
            descriptor: Self.httpRequests,
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
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
