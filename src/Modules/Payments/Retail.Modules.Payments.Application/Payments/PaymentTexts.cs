using Retail.BuildingBlocks.Application;

namespace Retail.Modules.Payments.Application.Payments;

/// <summary>What callers may show customers for each outcome; declines and outages use the exact SPEC U1 texts.</summary>
public static class PaymentTexts
{
    public const string Succeeded = "Payment received.";
    public const string Declined = UserMessages.PaymentFailed;
    public const string Unavailable = UserMessages.Overloaded;
    public const string RefundSucceeded = "The refund has been issued.";
    public const string RefundPending = "The refund is accepted and will be completed shortly.";
}
