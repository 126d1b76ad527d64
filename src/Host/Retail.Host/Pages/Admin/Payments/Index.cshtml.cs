using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.Application.Operations.GetPaymentsStatus;
using Retail.Modules.Payments.Application.Operations.UpdateSimulatorSettings;

namespace Retail.Host.Pages.Admin.Payments;

/// <summary>Breaker state and MTTR, payment counts, and the simulated gateway's settings, so an admin can stage an outage.</summary>
public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        // The labels the form shows, so a value that does not bind is named as the admin knows it, not "LatencyMs".
        [Display(Name = "Latency (ms)")]
        public int LatencyMs { get; set; }

        [Display(Name = "Transient failures (%)")]
        public decimal FailurePercent { get; set; }

        [Display(Name = "Hangs past the attempt timeout (%)")]
        public decimal TimeoutPercent { get; set; }

        public bool Outage { get; set; }

        public string? DeclineCardSuffixes { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public PaymentsStatusDto? Status { get; private set; }

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "—";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        var simulator = Status!.Simulator;
        Input = new InputModel
        {
            LatencyMs = simulator.LatencyMs,
            FailurePercent = (decimal)Math.Round(simulator.FailureProbability * 100, 2),
            TimeoutPercent = (decimal)Math.Round(simulator.TimeoutProbability * 100, 2),
            Outage = simulator.Outage,
            DeclineCardSuffixes = string.Join(", ", simulator.DeclineCardSuffixes),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await sender.Send(
                new UpdateSimulatorSettingsCommand(Input.LatencyMs, Input.FailurePercent, Input.TimeoutPercent, Input.Outage, Input.DeclineCardSuffixes), cancellationToken);
            if (result.IsSuccess)
            {
                StatusMessage = result.Value.Outage ? "Simulator updated: the payment provider is now DOWN." : "Simulator updated.";
                return Redirect("/admin/payments");
            }

            ShowError(result.Error, nameof(Input));
        }
        else
        {
            // A value that did not bind (latency=abc, a percentage past decimal's range) was only a note beside its field:
            // no message at the top and no reference id, unlike every other page. Say which value was refused; nothing changes.
            ShowError(BindingError(), nameof(Input));
        }

        return await LoadAsync(cancellationToken) ? Page() : Forbid();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var status = await sender.Send(new GetPaymentsStatusQuery(), cancellationToken);
        Status = status.IsSuccess ? status.Value : null;
        return status.IsSuccess;
    }
}
