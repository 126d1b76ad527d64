using System.Net;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.IntegrationEvents;

namespace Retail.Modules.Partners.Application.Feeds;

/// <summary>Emails the partner's contact when a feed job ends (SPEC U2); through the outbox, so a failed send is retried.</summary>
public sealed class SendFeedReportEmailHandler(IPartnersDbContext db, IEmailSender email) : IIntegrationEventHandler<FeedJobFinished>
{
    public async Task Handle(FeedJobFinished integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == integrationEvent.PartnerId, cancellationToken);
        if (partner is null)
        {
            return;
        }

        var e = integrationEvent;
        var kind = e.ValidateOnly ? "Validation" : "Import";
        var text = $"""
            {kind} of your feed finished: {e.Status}.

            Job: {e.JobId}
            Rows: {e.Rows}
            Created: {e.Created}
            Updated: {e.Updated}
            Unchanged: {e.Unchanged}
            Rejected: {e.Rejected}
            Deactivated: {e.Deactivated}

            The report with every row error is at /partner/jobs/{e.JobId} and GET /api/partners/jobs/{e.JobId}.
            """;
        var html = $"<p>{kind} of your feed finished: <strong>{WebUtility.HtmlEncode(e.Status)}</strong>.</p>"
            + $"<ul><li>Job: {e.JobId}</li><li>Rows: {e.Rows}</li><li>Created: {e.Created}</li><li>Updated: {e.Updated}</li>"
            + $"<li>Unchanged: {e.Unchanged}</li><li>Rejected: {e.Rejected}</li><li>Deactivated: {e.Deactivated}</li></ul>";
        await email.SendAsync(new EmailMessage(partner.ContactEmail, $"Feed {kind.ToLowerInvariant()} {e.Status}: {e.Rows} rows, {e.Rejected} rejected", text, html), cancellationToken);
    }
}
