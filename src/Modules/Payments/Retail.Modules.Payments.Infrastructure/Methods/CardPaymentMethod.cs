using System.Globalization;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Infrastructure.Gateway;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Infrastructure.Methods;

/// <summary>Credit or debit card: a Luhn-valid number and an expiry not in the past, charged through the gateway.</summary>
internal sealed class CardPaymentMethod(IPaymentGateway gateway, TimeProvider time) : IPaymentMethod
{
    public const string MethodCode = "card";
    public const string NumberField = "cardNumber";
    public const string ExpiryField = "expiry";

    public string Code => MethodCode;

    public string DisplayName => "Credit or debit card";

    public IReadOnlyList<PaymentDetailField> DetailFields { get; } =
    [
        new(NumberField, "Card number", "4242 4242 4242 4242"),
        new(ExpiryField, "Expiry", "MM/YY"),
    ];

    public IReadOnlyDictionary<string, string[]> ValidateDetails(IReadOnlyDictionary<string, string> details) =>
        PaymentMethodDetails.Errors(
            (NumberField, CardNumbers.IsValid(PaymentMethodDetails.Read(details, NumberField)) ? null : "Enter a valid card number."),
            (ExpiryField, ExpiryError(PaymentMethodDetails.Read(details, ExpiryField))));

    public async Task<PaymentMethodResult> ChargeAsync(PaymentMethodCharge charge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var number = CardNumbers.Normalize(PaymentMethodDetails.Read(charge.Details, NumberField));
        var response = await gateway.ChargeAsync(new GatewayCharge(charge.IdempotencyKey, Code, charge.Amount, charge.Currency, number), cancellationToken);
        return response.ToMethodResult();
    }

    public async Task<PaymentMethodResult> RefundAsync(PaymentMethodRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        var response = await gateway.RefundAsync(new GatewayRefund(refund.IdempotencyKey, refund.ProviderReference ?? "", refund.Amount, refund.Currency), cancellationToken);
        return response.ToMethodResult();
    }

    private string? ExpiryError(string expiry)
    {
        if (ParseExpiry(expiry) is not var (year, month))
        {
            return "Enter the expiry as MM/YY.";
        }

        var now = time.GetUtcNow();
        var expired = year < now.Year || (year == now.Year && month < now.Month);
        return expired ? "This card has expired." : null;
    }

    /// <summary>
    /// M/YY, MM/YY or MM/YYYY. A two-digit year is 20YY: cards are printed with the century left out, and
    /// <c>DateTime.ParseExact</c>'s "yy" follows the calendar's 2049 cutoff, which read "12/50" as December 1950 and
    /// refused a valid card as expired.
    /// </summary>
    private static (int Year, int Month)? ParseExpiry(string expiry)
    {
        var parts = expiry.Trim().Split('/');
        if (parts.Length != 2 || parts[0].Length is < 1 or > 2 || parts[1].Length is not (2 or 4)
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || month is < 1 or > 12)
        {
            return null;
        }

        return (parts[1].Length == 2 ? 2000 + year : year, month);
    }
}
