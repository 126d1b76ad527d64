using Microsoft.Extensions.Time.Testing;
using Retail.Modules.Payments.Application;
using Retail.Modules.Payments.Application.Operations.UpdateSimulatorSettings;
using Retail.Modules.Payments.Application.PaymentMethods;
using Retail.Modules.Payments.Application.PaymentMethods.CheckPaymentDetails;
using Retail.Modules.Payments.Infrastructure.Methods;
using Retail.BuildingBlocks.Contracts;
using System.Reflection;

namespace Retail.Modules.Payments.UnitTests;

public sealed class MethodAndValidationTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    private static CardPaymentMethod Card() => new(null!, Time);

    [Fact]
    public void The_card_method_rejects_a_number_failing_luhn_and_a_past_expiry()
    {
        var errors = Card().ValidateDetails(new Dictionary<string, string> { ["cardNumber"] = "4242424242424241", ["expiry"] = "10/26" });

        errors.Keys.ShouldBe(["cardNumber", "expiry"], ignoreOrder: true);
        errors["expiry"].ShouldBe(["This card has expired."]);
    }

    /// <summary>A two-digit expiry year is 20YY: invariant culture's 2049 cutoff made "12/50" December 1950, an expired card.</summary>
    [Theory]
    [InlineData("12/50", null)]
    [InlineData("12/49", null)]
    [InlineData("01/99", null)]
    [InlineData("12/2050", null)]
    [InlineData("01/26", null)]
    [InlineData("1/26", null)]
    [InlineData("12/25", "This card has expired.")]
    [InlineData("12/2025", "This card has expired.")]
    [InlineData("13/26", "Enter the expiry as MM/YY.")]
    [InlineData("00/26", "Enter the expiry as MM/YY.")]
    public void The_card_expiry_reads_a_two_digit_year_as_20YY(string expiry, string? error)
    {
        var card = new CardPaymentMethod(null!, new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero)));

        var errors = card.ValidateDetails(new Dictionary<string, string> { ["cardNumber"] = "4242424242424242", ["expiry"] = expiry });

        if (error is null)
        {
            errors.ShouldBeEmpty();
        }
        else
        {
            errors["expiry"].ShouldBe([error]);
        }
    }

    [Fact]
    public void The_card_method_accepts_a_valid_card_expiring_this_month() =>
        Card().ValidateDetails(new Dictionary<string, string> { ["cardNumber"] = "4242 4242 4242 4242", ["expiry"] = "11/26" }).ShouldBeEmpty();

    [Fact]
    public async Task A_detail_given_twice_in_different_case_is_a_field_error_not_a_crash()
    {
        // JSON keeps "cardNumber" and "CardNumber" apart; the methods read details case-insensitively, so they clash.
        var details = new Dictionary<string, string> { ["cardNumber"] = "4242424242424242", ["CardNumber"] = "4000000000000002", ["expiry"] = "12/30" };

        var result = await new CheckPaymentDetailsHandler(new PaymentMethodRegistry([Card()])).Handle(new IntegrationEvents.CheckPaymentDetails("card", details), default);

        result.IsSuccess.ShouldBeTrue();
        result.Value.Keys.ShouldBe(["cardNumber"]);
        result.Value["cardNumber"].ShouldBe(["Give each payment detail once."]);
    }

    [Fact]
    public void Simulator_settings_are_validated_per_field()
    {
        var result = new UpdateSimulatorSettingsCommandValidator().Validate(new UpdateSimulatorSettingsCommand(-1, 101m, 50m, false, "0002, 12ab"));

        result.Errors.Select(e => e.PropertyName).Distinct().ShouldBe(["LatencyMs", "FailurePercent", "DeclineCardSuffixes"], ignoreOrder: true);
    }

    [Fact]
    public void Decline_suffixes_are_parsed_from_a_comma_or_space_separated_list() =>
        new UpdateSimulatorSettingsCommand(0, 0, 0, false, " 0002,9995  0002\n1234").SuffixList.ShouldBe(["0002", "9995", "1234"]);

    [Fact]
    public void The_contract_assembly_names_the_same_module_as_the_application()
    {
        // ADR 0004: behaviors pick the unit of work from this attribute, so the public requests must be the module's own.
        typeof(IntegrationEvents.ChargePayment).Assembly.GetCustomAttribute<RetailModuleAttribute>()!.Name.ShouldBe(PaymentsModule.Name);
        typeof(PaymentsModule).Assembly.GetCustomAttribute<RetailModuleAttribute>()!.Name.ShouldBe(PaymentsModule.Name);
    }
}
