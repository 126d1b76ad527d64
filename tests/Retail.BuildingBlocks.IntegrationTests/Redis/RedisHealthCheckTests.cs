using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Observability;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Redis;

public sealed class RedisHealthCheckTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Healthy_when_the_server_answers()
    {
        var result = await CheckAsync(redis.Connect(), new LimiterState(false));

        result.Status.ShouldBe(HealthStatus.Healthy);
        result.Description.ShouldNotBeNull().ShouldStartWith("Redis answers in");
    }

    [Fact]
    public async Task Degraded_while_the_rate_limiter_still_runs_on_its_fallback()
    {
        var result = await CheckAsync(redis.Connect(), new LimiterState(true));

        result.Status.ShouldBe(HealthStatus.Degraded);
    }

    [Fact]
    public async Task Degraded_not_unhealthy_when_the_server_is_unreachable()
    {
        var result = await CheckAsync(redis.ConnectUnreachable(), new LimiterState(false));

        result.Status.ShouldBe(HealthStatus.Degraded, "the app still serves, with per-instance limits and cache");
        result.Exception.ShouldNotBeNull();
    }

    [Fact]
    public void A_cancellation_the_caller_did_not_ask_for_counts_as_redis_unavailable()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        RedisHealthCheck.IsRedisFailure(new TaskCanceledException("the client gave up on the PING"), CancellationToken.None).ShouldBeTrue();
        RedisHealthCheck.IsRedisFailure(new TimeoutException("Timeout performing PING"), CancellationToken.None).ShouldBeTrue();
        RedisHealthCheck.IsRedisFailure(new OperationCanceledException(cancelled.Token), cancelled.Token).ShouldBeFalse("the caller's own cancellation goes on up");
    }

    [Fact]
    public async Task Healthy_when_redis_is_not_configured()
    {
        var result = await CheckAsync(new RedisConnection(null, NullLogger<RedisConnection>.Instance), new LimiterState(false));

        result.Status.ShouldBe(HealthStatus.Healthy);
        result.Description.ShouldNotBeNull().ShouldContain("not configured");
    }

    private static Task<HealthCheckResult> CheckAsync(RedisConnection connection, IRedisDegradationState state)
    {
        var check = new RedisHealthCheck(connection, state);
        return check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("redis", check, HealthStatus.Unhealthy, null) });
    }

    private sealed record LimiterState(bool IsDegraded) : IRedisDegradationState
    {
        public string Mode => IsDegraded ? "in-process (Redis unavailable)" : "redis";
    }
}
