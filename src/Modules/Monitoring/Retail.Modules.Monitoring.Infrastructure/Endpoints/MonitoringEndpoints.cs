using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.Monitoring.Application.Dashboard.GetDashboard;
using Retail.Modules.Monitoring.Application.Logs;
using Retail.Modules.Monitoring.Application.Logs.GetRecentLogs;

namespace Retail.Modules.Monitoring.Infrastructure.Endpoints;

public static class MonitoringEndpoints
{
    /// <summary>The dashboard's JSON feed and the recent-logs search under <c>/api/monitoring</c>, admins only.</summary>
    public static IEndpointRouteBuilder MapMonitoringEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/monitoring").WithTags("Monitoring").RequireAuthorization(Roles.Admin);

        api.MapGet("/dashboard", async (string? logLevel, string? logSearch, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetDashboardQuery(logLevel, logSearch), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetMonitoringDashboard")
            .WithSummary("Business totals (all time and today), live request percentiles, payments breaker, outbox, scenario cards and recent logs.")
            .Produces<DashboardDto>()
            .ProducesValidationProblem();

        api.MapGet("/logs", async (string? level, string? search, int? take, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetRecentLogsQuery(level, search, take ?? 100), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetRecentLogs")
            .WithSummary("The newest log entries of this instance: minimum level, and a trace id, request id or text to search for.")
            .Produces<IReadOnlyList<RecentLogEntryDto>>()
            .ProducesValidationProblem();

        return endpoints;
    }
}
