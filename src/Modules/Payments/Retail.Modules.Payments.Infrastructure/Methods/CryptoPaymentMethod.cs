using System.Text.RegularExpressions;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Infrastructure.Gateway;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Infrastructure.Methods;

/// <summary>Crypto: a wallet address (Ethereum-style 0x… or Bitcoin-style), charged through the gateway.</summary>
internal sealed partial class CryptoPaymentMethod(IPaymentGateway gateway) : IPaymentMethod
{
    public const string MethodCode = "crypto";
    public const string WalletField = "walletAddress";

    public string Code => MethodCode;

    public string DisplayName => "Crypto wallet";

    public IReadOnlyList<PaymentDetailField> DetailFields { get; } = [new(WalletField, "Wallet address", "0x… or bc1…")];

    public IReadOnlyDictionary<string, string[]> ValidateDetails(IReadOnlyDictionary<string, string> details) =>
        PaymentMethodDetails.Errors((WalletField, WalletAddress().IsMatch(PaymentMethodDetails.Read(details, WalletField)) ? null : "Enter a valid wallet address."));

    public async Task<PaymentMethodResult> ChargeAsync(PaymentMethodCharge charge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var wallet = PaymentMethodDetails.Read(charge.Details, WalletField);
        return (await gateway.ChargeAsync(new GatewayCharge(charge.IdempotencyKey, Code, charge.Amount, charge.Currency, wallet), cancellationToken)).ToMethodResult();
    }

    public async Task<PaymentMethodResult> RefundAsync(PaymentMethodRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return (await gateway.RefundAsync(new GatewayRefund(refund.IdempotencyKey, refund.ProviderReference ?? "", refund.Amount, refund.Currency), cancellationToken)).ToMethodResult();
    }

    [GeneratedRegex("^(0x[0-9a-fA-F]{40}|bc1[0-9a-z]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})$")]
    private static partial Regex WalletAddress();
}
