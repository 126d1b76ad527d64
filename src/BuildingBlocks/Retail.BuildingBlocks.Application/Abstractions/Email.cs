namespace Retail.BuildingBlocks.Application.Abstractions;

/// <summary>One outgoing email. <paramref name="HtmlBody"/> is sent as the HTML alternative; its author HTML-encodes user-provided text.</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string? HtmlBody = null);

/// <summary>
/// Sends email: SMTP (MailKit) when <c>Email:Smtp:Host</c> is configured, otherwise an <c>.eml</c> file per message in
/// the pickup folder (<c>Email:PickupFolder</c>). Throws when the message could not be handed over, so an integration
/// event handler that sends is retried by the outbox.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
