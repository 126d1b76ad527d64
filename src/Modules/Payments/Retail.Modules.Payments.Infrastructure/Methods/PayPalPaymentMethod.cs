using System.Net.Mail;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Infrastructure.Gateway;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Infrastructure.Methods;

/// <summary>PayPal: the account's email address, charged through the gateway.</summary>
internal sealed class PayPalPaymentMethod(IPaymentGateway gateway) : IPaymentMethod
{
    public const string MethodCode = "paypal";
    public const string EmailField = "email";

    public string Code => MethodCode;

    public string DisplayName => "PayPal";

    public IReadOnlyList<PaymentDetailField> DetailFields { get; } = [new(EmailField, "PayPal email", "you@example.com")];

    public IReadOnlyDictionary<string, string[]> ValidateDetails(IReadOnlyDictionary<string, string> details) =>
        PaymentMethodDetails.Errors((EmailField, IsEmail(PaymentMethodDetails.Read(details, EmailField)) ? null : "Enter the email address of your PayPal account."));

    public async Task<PaymentMethodResult> ChargeAsync(PaymentMethodCharge charge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var email = PaymentMethodDetails.Read(charge.Details, EmailField);
        return (await gateway.ChargeAsync(new GatewayCharge(charge.IdempotencyKey, Code, charge.Amount, charge.Currency, email), cancellationToken)).ToMethodResult();
    }

    public async Task<PaymentMethodResult> RefundAsync(PaymentMethodRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return (await gateway.RefundAsync(new GatewayRefund(refund.IdempotencyKey, refund.ProviderReference ?? "", refund.Amount, refund.Currency), cancellationToken)).ToMethodResult();
    }

    private static bool IsEmail(string value) =>
        value.Length is > 3 and <= 254 && MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);
}
