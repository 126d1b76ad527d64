namespace Retail.Modules.Payments.Infrastructure.Methods;

/// <summary>Helpers the built-in methods share for reading and checking their detail fields.</summary>
internal static class PaymentMethodDetails
{
    public static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static string Read(IReadOnlyDictionary<string, string> details, string field) =>
        details.TryGetValue(field, out var value) ? (value ?? "").Trim() : "";

    public static IReadOnlyDictionary<string, string[]> Errors(params (string Field, string? Message)[] checks)
    {
        var errors = checks.Where(c => c.Message is not null).ToDictionary(c => c.Field, c => new[] { c.Message! }, StringComparer.Ordinal);
        return errors.Count == 0 ? NoErrors : errors;
    }
}
