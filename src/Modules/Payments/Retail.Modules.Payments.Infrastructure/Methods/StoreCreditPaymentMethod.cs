using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.StoreCredit;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Infrastructure.Methods;

/// <summary>
/// Store credit: a conditional debit of the customer's balance (one UPDATE … WHERE Balance &gt;= amount) plus its ledger
/// entry, in one short transaction of its own. Not covering the amount is a decline. It runs through the same pipeline
/// as the external methods (SPEC M2), though it has no transient failures of its own.
/// </summary>
internal sealed class StoreCreditPaymentMethod(IPaymentsUnitOfWork unitOfWork, StoreCreditLedger ledger) : IPaymentMethod
{
    public const string MethodCode = "store-credit";
    public const string InsufficientBalance = "insufficient_store_credit";

    public string Code => MethodCode;

    public string DisplayName => "Store credit";

    public IReadOnlyList<PaymentDetailField> DetailFields { get; } = [];

    public IReadOnlyDictionary<string, string[]> ValidateDetails(IReadOnlyDictionary<string, string> details) => PaymentMethodDetails.NoErrors;

    public async Task<PaymentMethodResult> ChargeAsync(PaymentMethodCharge charge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var result = await unitOfWork.ExecuteAsync(
            () => ledger.DebitAsync(charge.CustomerId, charge.Amount, "Payment", $"order {charge.OrderId}", StoreCreditLedger.ChargeKeyPrefix + charge.IdempotencyKey, cancellationToken),
            r => r.Outcome != LedgerOutcome.InsufficientBalance,
            cancellationToken);
        return result.Outcome == LedgerOutcome.InsufficientBalance
            ? PaymentMethodResult.Declined(InsufficientBalance)
            : PaymentMethodResult.Success("store-credit:" + result.EntryId);
    }

    public async Task<PaymentMethodResult> RefundAsync(PaymentMethodRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        var result = await unitOfWork.ExecuteAsync(
            () => ledger.CreditAsync(refund.CustomerId, refund.Amount, "Refund: " + refund.Reason, $"payment {refund.PaymentId}", "refund:" + refund.IdempotencyKey, cancellationToken),
            _ => true,
            cancellationToken);
        return PaymentMethodResult.Success("store-credit:" + result.EntryId);
    }
}
