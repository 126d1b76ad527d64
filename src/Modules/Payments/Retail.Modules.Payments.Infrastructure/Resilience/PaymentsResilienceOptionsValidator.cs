using System.ComponentModel.DataAnnotations;
using Polly;
using Retail.BuildingBlocks.Application.Settings;

namespace Retail.Modules.Payments.Infrastructure.Resilience;

/// <summary>
/// <c>Payments:Resilience</c> checked at start against Polly's own rules by building the pipeline once with them: Polly
/// checks them only when the pipeline is first built, which is the first payment — a bad value would fail checkouts.
/// </summary>
internal sealed class PaymentsResilienceOptionsValidator : SettingsValidator<PaymentsResilienceOptions>
{
    protected override void Check(SettingsCheck check, PaymentsResilienceOptions options)
    {
        string? problem = null;
        try
        {
            var builder = new ResiliencePipelineBuilder();
            PaymentsPipeline.Configure(builder, options, circuit: null);
            builder.Build();
        }
        catch (ValidationException ex)
        {
            problem = ex.Message.ReplaceLineEndings(" ");
        }

        check.Require(problem is null, $"Payments:Resilience does not make a valid payment pipeline: {problem}");
    }
}
