using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Redis;

/// <summary>"When Redis fails at run time, the app degrades to the in-process limiter, reports it, and recovers by itself."</summary>
public sealed class ResilientRateLimiterTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const int Limit = 5;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Without_redis_configured_it_limits_in_process_and_is_not_degraded()
    {
        var time = new FakeTimeProvider(T0);
        var limiter = Create(new RedisConnection(null, NullLogger<RedisConnection>.Instance), time);

        await ShouldAllowExactlyTheLimitAsync(limiter, RedisServerFixture.UniqueKey("unconfigured"));

        limiter.IsDegraded.ShouldBeFalse();
        limiter.Mode.ShouldBe("in-process");
    }

    [Fact]
    public async Task With_redis_unreachable_it_keeps_deciding_correctly_in_process_and_reports_degraded()
    {
        var time = new FakeTimeProvider(T0);
        var limiter = Create(redis.ConnectUnreachable(), time);
        var key = RedisServerFixture.UniqueKey("unreachable");
        limiter.IsDegraded.ShouldBeFalse();
        limiter.Mode.ShouldBe("redis");

        await ShouldAllowExactlyTheLimitAsync(limiter, key);

        limiter.IsDegraded.ShouldBeTrue();
        limiter.Mode.ShouldContain("in-process");

        // After the pause it tries Redis again, fails again, and still answers from the same in-process window.
        time.Advance(ResilientSlidingWindowRateLimiter.RetryRedisAfter);
        limiter.IsDegraded.ShouldBeFalse("the pause is over: the next call tries Redis");
        (await limiter.TryAcquireAsync(key, Limit, Window)).ShouldBe(new RateLimitDecision(false, 0, Window - ResilientSlidingWindowRateLimiter.RetryRedisAfter));
        limiter.IsDegraded.ShouldBeTrue();
    }

    [Fact]
    public async Task After_a_redis_failure_it_goes_back_to_redis_once_the_pause_is_over()
    {
        var time = new FakeTimeProvider(T0);
        var connection = redis.Connect();
        var limiter = Create(connection, time);
        var key = RedisServerFixture.UniqueKey("recovery");
        var redisKey = RedisConnection.Key("ratelimit:" + key);
        var database = connection.Multiplexer!.GetDatabase();

        // A failure injected through the real server: the script hits a key of the wrong type (WRONGTYPE error).
        await database.StringSetAsync(redisKey, "not a sorted set");
        (await limiter.TryAcquireAsync(key, 2, Window)).Allowed.ShouldBeTrue();
        limiter.IsDegraded.ShouldBeTrue();
        limiter.Mode.ShouldBe("in-process (Redis unavailable)");
        await database.KeyDeleteAsync(redisKey);

        // Another instance fills the shared window. While degraded this instance does not see it (it counts alone)...
        var otherInstance = new RedisSlidingWindowRateLimiter(redis.Connect(), time);
        (await otherInstance.TryAcquireAsync(key, 2, Window)).Allowed.ShouldBeTrue();
        (await otherInstance.TryAcquireAsync(key, 2, Window)).Allowed.ShouldBeTrue();
        time.Advance(ResilientSlidingWindowRateLimiter.RetryRedisAfter - TimeSpan.FromMilliseconds(1));
        (await limiter.TryAcquireAsync(key, 2, Window)).Allowed.ShouldBeTrue("still in process: its own window has one attempt");
        limiter.IsDegraded.ShouldBeTrue();

        // ...and once the pause is over it asks Redis again, which says the shared window is full.
        time.Advance(TimeSpan.FromMilliseconds(1));
        var decision = await limiter.TryAcquireAsync(key, 2, Window);
        decision.Allowed.ShouldBeFalse("back on Redis, where the other instance used up the limit");
        decision.RetryAfter.ShouldBe(Window - ResilientSlidingWindowRateLimiter.RetryRedisAfter);
        limiter.IsDegraded.ShouldBeFalse();
        limiter.Mode.ShouldBe("redis");
    }

    [Fact]
    public async Task Every_decision_is_timed_under_the_store_that_made_it_and_its_answer()
    {
        var time = new TickingTimestamps(T0);
        var onRedis = Create(redis.Connect(), time);
        var key = RedisServerFixture.UniqueKey("timed");
        // The script's first run on a new connection loads it; done before recording so only the decisions below count.
        (await onRedis.TryAcquireAsync(RedisServerFixture.UniqueKey("warm-up"), 1, Window)).Allowed.ShouldBeTrue();
        onRedis.IsDegraded.ShouldBeFalse();
        using var decisions = new DecisionRecorder();

        (await onRedis.TryAcquireAsync(key, 1, Window)).Allowed.ShouldBeTrue();
        (await onRedis.TryAcquireAsync(key, 1, Window)).Allowed.ShouldBeFalse();
        var unconfigured = Create(new RedisConnection(null, NullLogger<RedisConnection>.Instance), time);
        (await unconfigured.TryAcquireAsync(key, 1, Window)).Allowed.ShouldBeTrue();

        decisions.Recorded.Select(d => (d.Store, d.Allowed)).ShouldBe(
            [("redis", true), ("redis", false), ("in-process", true)], $"recorded: {string.Join(", ", decisions.Recorded)}; degraded: {onRedis.IsDegraded}");
        decisions.Recorded.ShouldAllBe(d => Math.Abs(d.Seconds - TickingTimestamps.Step.TotalSeconds) < 1e-9, "from the clock's timestamp before to the one after");
    }

    /// <summary>A fixed wall clock whose timestamps move by <see cref="Step"/> on every read.</summary>
    private sealed class TickingTimestamps(DateTimeOffset now) : TimeProvider
    {
        public static readonly TimeSpan Step = TimeSpan.FromMicroseconds(1500);
        private long _microseconds;

        public override DateTimeOffset GetUtcNow() => now;

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => Interlocked.Add(ref _microseconds, (long)Step.TotalMicroseconds);
    }

    /// <summary>The decision-time histogram's measurements made by this test's own calls (tests of other classes run alongside).</summary>
    private sealed class DecisionRecorder : IDisposable
    {
        private static readonly AsyncLocal<DecisionRecorder?> Current = new();
        private readonly MeterListener _listener = new();

        public DecisionRecorder()
        {
            Current.Value = this;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ResilientSlidingWindowRateLimiter.MeterName && instrument.Name == ResilientSlidingWindowRateLimiter.DecisionDurationInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            {
                if (Current.Value is { } recorder)
                {
                    var store = "";
                    var allowed = false;
                    foreach (var tag in tags)
                    {
                        if (tag.Key == "store")
                        {
                            store = (string)tag.Value!;
                        }
                        else if (tag.Key == "allowed")
                        {
                            allowed = (bool)tag.Value!;
                        }
                    }

                    lock (recorder.Recorded)
                    {
                        recorder.Recorded.Add((store, allowed, value));
                    }
                }
            });
            _listener.Start();
        }

        public List<(string Store, bool Allowed, double Seconds)> Recorded { get; } = [];

        public void Dispose()
        {
            Current.Value = null;
            _listener.Dispose();
        }
    }

    private static ResilientSlidingWindowRateLimiter Create(RedisConnection connection, TimeProvider time) => new(
        connection,
        new RedisSlidingWindowRateLimiter(connection, time),
        new InProcessSlidingWindowRateLimiter(time),
        time,
        NullLogger<ResilientSlidingWindowRateLimiter>.Instance);

    private static async Task ShouldAllowExactlyTheLimitAsync(ISlidingWindowRateLimiter limiter, string key)
    {
        for (var i = 0; i < Limit; i++)
        {
            (await limiter.TryAcquireAsync(key, Limit, Window)).ShouldBe(new RateLimitDecision(true, Limit - i - 1, TimeSpan.Zero));
        }

        (await limiter.TryAcquireAsync(key, Limit, Window)).ShouldBe(new RateLimitDecision(false, 0, Window));
    }
}
