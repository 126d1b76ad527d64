using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Domain.Returns;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Returns.Application.Notifications;

/// <summary>
/// Emails the customer on every change that concerns them (submitted, approved, rejected, received, completed,
/// cancelled). Once per change via the inbox; a failed send throws so the outbox retries it.
/// </summary>
public sealed class SendReturnEmailsHandler(IReturnsDbContext db, IEmailSender email, IOptions<ReturnsOptions> options, ILogger<SendReturnEmailsHandler> logger)
    : IIntegrationEventHandler<ReturnStatusChanged>
{
    public static readonly IReadOnlySet<string> CustomerRelevant = new HashSet<string>(StringComparer.Ordinal)
    {
        "SUBMITTED", "APPROVED", "REJECTED", "RECEIVED", "COMPLETED", "CANCELLED",
    };

    public async Task Handle(ReturnStatusChanged integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        if (!CustomerRelevant.Contains(integrationEvent.To))
        {
            return;
        }

        var returnId = integrationEvent.ReturnId;
        var entity = await db.Returns.AsNoTracking().Include(r => r.Lines).Include(r => r.Outcomes)
            .SingleOrDefaultAsync(r => r.Id == returnId, cancellationToken);
        if (entity?.CustomerEmail is not { } to)
        {
            logger.LogInformation("Return {ReturnCode}: no customer email for {Status}", integrationEvent.Code, integrationEvent.To);
            return;
        }

        var subject = integrationEvent.To switch
        {
            "SUBMITTED" => $"We received your return request {entity.Code}",
            "APPROVED" => $"Your return {entity.Code} is approved",
            "REJECTED" => $"Your return {entity.Code} was rejected",
            "RECEIVED" => $"Your returned item for {entity.Code} arrived",
            "COMPLETED" => $"Your return {entity.Code} is complete",
            _ => $"Your return {entity.Code} is cancelled",
        };
        var lines = new List<string>
        {
            $"Return {entity.Code} for order {entity.OrderNumber} is now {integrationEvent.To}.",
            GetReturnQueryHandler.NextAction(entity, options.Value),
        };
        foreach (var outcome in entity.Outcomes.Where(o => o.Status == OutcomeStatus.Succeeded && o.Amount > 0))
        {
            lines.Add(outcome.Kind == Disposition.Refund
                ? $"Refunded to your original payment method: {outcome.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {entity.Currency}."
                : $"Store credit added: {outcome.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {entity.Currency}.");
        }

        var text = string.Join(Environment.NewLine, lines);
        var html = "<p>" + string.Join("</p><p>", lines.Select(WebUtility.HtmlEncode)) + "</p>";
        await email.SendAsync(new EmailMessage(to, subject, text, html), cancellationToken);
    }
}
