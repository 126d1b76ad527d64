using Retail.BuildingBlocks.Application;

namespace Retail.Host.Pages.Partner;

/// <summary>What the two "issue a new webhook secret" forms (back office and partner portal) answer to an overlap that is not a number.</summary>
public static class WebhookSecretForm
{
    private const string Message = "Enter the overlap as whole hours from 0 to 72.";

    public static Error OverlapNotWholeHours { get; } =
        Error.Validation(new Dictionary<string, string[]> { ["OverlapHours"] = [Message] }) with { Message = Message };
}
