namespace Retail.Modules.Monitoring.Application.Timing;

/// <summary>
/// Log-scale buckets for durations in milliseconds, bounded memory whatever the traffic. Bucket 0 holds [0, 0.1 ms);
/// bucket i ≥ 1 holds [0.1·1.05^(i-1), 0.1·1.05^i) ms, up to about 120 s; longer durations land in the last bucket.
/// A percentile is read as the geometric middle of its bucket (clamped to the largest duration seen), so its relative
/// error is at most √1.05 − 1 ≈ 2.5% (absolute error under 0.05 ms below 0.1 ms).
/// </summary>
public static class LatencyHistogram
{
    public const double MinMs = 0.1;
    public const double Growth = 1.05;
    public const int BucketCount = 289;

    /// <summary>The documented bound on a percentile's relative error.</summary>
    public static readonly double RelativeError = Math.Sqrt(Growth) - 1;

    private static readonly double LogGrowth = Math.Log(Growth);

    public static int BucketOf(double milliseconds)
    {
        if (double.IsNaN(milliseconds) || milliseconds < MinMs)
        {
            return 0;
        }

        var index = 1 + (int)Math.Floor(Math.Log(milliseconds / MinMs) / LogGrowth);
        return Math.Clamp(index, 1, BucketCount - 1);
    }

    public static double LowerBound(int bucket) => bucket == 0 ? 0 : MinMs * Math.Pow(Growth, bucket - 1);

    public static double UpperBound(int bucket) => bucket == 0 ? MinMs : MinMs * Math.Pow(Growth, bucket);

    /// <summary>The value reported for a bucket: the geometric middle (half of <see cref="MinMs"/> for bucket 0).</summary>
    public static double Representative(int bucket) => bucket == 0 ? MinMs / 2 : Math.Sqrt(LowerBound(bucket) * UpperBound(bucket));

    /// <summary>
    /// Nearest-rank percentile (<paramref name="quantile"/> in 0..1) of the durations counted in <paramref name="counts"/>;
    /// null when nothing was counted.
    /// </summary>
    public static double? Percentile(ReadOnlySpan<long> counts, long total, double quantile, double maxSeen)
    {
        if (total <= 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Min(Representative(i), maxSeen);
            }
        }

        return maxSeen;
    }
}
