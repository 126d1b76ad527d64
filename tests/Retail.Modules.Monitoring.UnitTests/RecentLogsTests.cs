using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Retail.Modules.Monitoring.Application.Logs;
using Retail.Modules.Monitoring.Application.Logs.GetRecentLogs;
using Retail.Modules.Monitoring.Infrastructure.Logging;

namespace Retail.Modules.Monitoring.UnitTests;

public sealed class RecentLogsTests
{
    private static RecentLogEntryDto Entry(int n, LogLevel level = LogLevel.Information, string? traceId = null, string? requestId = null) =>
        new(TestTelemetry.Start.AddSeconds(n), level.ToString(), "Test", $"message {n}", traceId, requestId, null);

    [Fact]
    public void The_buffer_keeps_the_last_500_entries_newest_first()
    {
        var buffer = new RecentLogBuffer();
        for (var i = 1; i <= 650; i++)
        {
            buffer.Add(Entry(i));
        }

        var entries = buffer.Query();

        entries.Count.ShouldBe(500);
        entries[0].Message.ShouldBe("message 650");
        entries[^1].Message.ShouldBe("message 151");
        buffer.Written.ShouldBe(650);
    }

    [Fact]
    public void Level_filter_keeps_that_level_and_above()
    {
        var buffer = new RecentLogBuffer(10);
        buffer.Add(Entry(1, LogLevel.Debug));
        buffer.Add(Entry(2, LogLevel.Information));
        buffer.Add(Entry(3, LogLevel.Warning));
        buffer.Add(Entry(4, LogLevel.Error));

        buffer.Query(LogLevel.Warning).Select(e => e.Message).ShouldBe(["message 4", "message 3"]);
    }

    [Fact]
    public void Search_finds_an_entry_by_trace_id_or_request_id()
    {
        var buffer = new RecentLogBuffer(10);
        buffer.Add(Entry(1, traceId: "4bf92f3577b34da6a3ce929d0e0e4736", requestId: "0HN1:00000001"));
        buffer.Add(Entry(2, traceId: "00000000000000000000000000000002", requestId: "0HN1:00000002"));

        buffer.Query(search: "4BF92F3577B34DA6A3CE929D0E0E4736").Single().Message.ShouldBe("message 1");
        buffer.Query(search: "0HN1:00000002").Single().Message.ShouldBe("message 2");
        buffer.Query(search: "nothing-like-it").ShouldBeEmpty();
    }

    [Fact]
    public void The_query_validator_refuses_unknown_levels()
    {
        var validator = new GetRecentLogsQueryValidator();

        validator.Validate(new GetRecentLogsQuery("Warning")).IsValid.ShouldBeTrue();
        validator.Validate(new GetRecentLogsQuery("loud")).IsValid.ShouldBeFalse();
        validator.Validate(new GetRecentLogsQuery(Take: 501)).IsValid.ShouldBeFalse();
    }

    [Fact]
    public void The_logger_provider_records_trace_id_request_id_and_only_the_exception_type()
    {
        var buffer = new RecentLogBuffer(10);
        var time = new FakeTimeProvider(TestTelemetry.Start);
        using var provider = new RecentLogsLoggerProvider(buffer, time, TestTelemetry.MeterFactory());
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));
        var logger = factory.CreateLogger("Retail.Test");
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        using (logger.BeginScope(new Dictionary<string, object?> { ["RequestId"] = "0HN1:0000000A" }))
        {
            logger.LogError(new InvalidOperationException("secret connection string"), "Checkout failed for {Sku}", "EL-0001");
        }

        var entry = buffer.Query().Single();
        entry.Level.ShouldBe("Error");
        entry.Category.ShouldBe("Retail.Test");
        entry.Message.ShouldBe("Checkout failed for EL-0001");
        entry.TraceId.ShouldBe(activity.TraceId.ToString());
        entry.RequestId.ShouldBe("0HN1:0000000A");
        entry.ExceptionType.ShouldBe(typeof(InvalidOperationException).FullName);
        entry.Message.ShouldNotContain("secret");
        entry.Timestamp.ShouldBe(TestTelemetry.Start);
    }
}
