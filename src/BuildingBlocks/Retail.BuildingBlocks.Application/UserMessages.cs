namespace Retail.BuildingBlocks.Application;

/// <summary>The exact texts SPEC.md (U1) promises customers. Never paraphrase them elsewhere.</summary>
public static class UserMessages
{
    public const string RateLimited = "Too many requests. Please wait and try again.";
    public const string PaymentFailed = "Payment could not be processed. Please try again or use a different payment method.";
    public const string OutOfStock = "This item is no longer available.";
    public const string Overloaded = "System experiencing high traffic. Please try again shortly.";
    public const string Unexpected = "Something went wrong on our side. Please try again.";

    /// <summary>The rate-limit text with the seconds to wait, as shown on pages and in API problem details.</summary>
    public static string RateLimitedWithSeconds(TimeSpan retryAfter) =>
        $"{RateLimited} (retry in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} seconds)";
}
