import Metrics

/// Names and handles of the job metrics, so the API's /metrics endpoint exports the same series the workers
/// and the dispatcher record.
public enum JobMetrics {
    public static let generationSecondsLabel = "tunesmith_generation_seconds"
    public static let jobsLabel = "tunesmith_jobs_total"
    public static let jobsByStateLabel = "tunesmith_jobs"
    public static let callbackDeliveriesLabel = "tunesmith_callback_deliveries_total"

    /// Histogram buckets for the generation time: a song takes seconds to minutes, far beyond the usual
    /// request-latency buckets. Give them to the Prometheus factory's `durationHistogramBuckets`.
    public static let generationSecondsBuckets: [Duration] = [1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600]
        .map { .seconds($0) }

    /// How a claimed job ended in this process.
    public enum JobOutcome: String, Sendable, CaseIterable {
        case completed, failed, cancelled
        /// Cancelled or taken over elsewhere, noticed by a heartbeat or at completion.
        case lost
        /// Handed back to the queue at shutdown.
        case requeued
    }

    /// What became of one callback delivery attempt.
    public enum DeliveryOutcome: String, Sendable, CaseIterable {
        case delivered
        /// Failed; another attempt is scheduled.
        case retry
        /// Failed for the last time, or could not be attempted at all.
        case abandoned
    }

    static let generationTimer = Metrics.Timer(label: generationSecondsLabel)

    static func countJob(outcome: JobOutcome) {
        Counter(label: jobsLabel, dimensions: [("outcome", outcome.rawValue)]).increment()
    }

    static func countDelivery(outcome: DeliveryOutcome) {
        Counter(label: callbackDeliveriesLabel, dimensions: [("outcome", outcome.rawValue)]).increment()
    }
}
