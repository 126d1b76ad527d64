using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Monitoring.Application.Dashboard.GetDashboard;
using Retail.Modules.Monitoring.Application.Timing;

namespace Retail.Host.Pages.Admin.Dashboard;

/// <summary>
/// The operations dashboard (SPEC O1/O2): rendered on the server, then refreshed every 5 s by <c>/js/dashboard.js</c>
/// from <c>GET /api/monitoring/dashboard</c> without a reload.
/// </summary>
public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    /// <summary>Minimum level of the recent-logs panel (empty: all).</summary>
    [BindProperty(SupportsGet = true, Name = "level")]
    public string? Level { get; set; }

    /// <summary>Trace id, request id or text to look for in the recent logs.</summary>
    [BindProperty(SupportsGet = true, Name = "search")]
    public string? Search { get; set; }

    public DashboardDto? Dashboard { get; private set; }

    /// <summary>The chart's scale: the largest p99 over 5 minutes of any group (at least 1 ms).</summary>
    public double ChartMaxMs => Math.Max(1, Dashboard?.Requests.Groups.Max(g => g.Window(5).P99 ?? 0) ?? 1);

    public static string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Ms(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "—";

    public static string Percent(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "—";

    public static readonly IReadOnlyList<int> Windows = RequestTimingRecorder.WindowMinutes;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetDashboardQuery(Level, Search), cancellationToken);
        if (result.IsSuccess)
        {
            Dashboard = result.Value;
            return Page();
        }

        if (result.Error.Kind == Retail.BuildingBlocks.Application.ErrorKind.Validation)
        {
            ShowError(result.Error);
            Level = null;
            Search = null;
            var retry = await sender.Send(new GetDashboardQuery(), cancellationToken);
            Dashboard = retry.IsSuccess ? retry.Value : null;
            return retry.IsSuccess ? Page() : Forbid();
        }

        return Forbid();
    }
}
