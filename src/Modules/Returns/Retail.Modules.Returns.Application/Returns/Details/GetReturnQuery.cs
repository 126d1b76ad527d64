using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Returns.Details;

/// <summary>One return with its timeline, owner, next action and the buttons the viewer may press. Owner or staff; others get 404.</summary>
[Authenticated]
public sealed record GetReturnQuery(string Code) : IQuery<ReturnDetailDto>;

public sealed class GetReturnQueryHandler(IReturnsDbContext db, ReturnViewer viewer, IOptions<ReturnsOptions> options, TimeProvider time) : IQueryHandler<GetReturnQuery, ReturnDetailDto>
{
    private static readonly ReturnStatus[] MainPath =
    [
        ReturnStatus.Submitted, ReturnStatus.Validating, ReturnStatus.Approved, ReturnStatus.Shipping, ReturnStatus.Received,
        ReturnStatus.Inspecting, ReturnStatus.Inspected, ReturnStatus.Disposition, ReturnStatus.Processing, ReturnStatus.Completed,
    ];

    public async ValueTask<Result<ReturnDetailDto>> Handle(GetReturnQuery query, CancellationToken cancellationToken)
    {
        var entity = await db.LoadAsync(query.Code, cancellationToken);
        if (entity is null || !viewer.CanSee(entity))
        {
            return ReturnErrors.NotFound();
        }

        var photos = await db.Photos.AsNoTracking().Where(p => p.ReturnId == entity.Id).ToListAsync(cancellationToken);
        // The owner gets the customer's view even when they are staff too: on their own return they are only its customer.
        return ToDto(entity, photos, viewer.RolesOn(entity), options.Value, time.GetUtcNow(), customerView: viewer.IsOwner(entity));
    }

    /// <param name="customerView">
    /// The customer's answer: the timeline names the team that acted ("Support") or "You", never a staff member's sign-in
    /// email, and carries no trace ids, staff notes on a step or override reasons (the staff's reasons for deciding other
    /// than the inspection suggested). Inspection notes, the rejection reason, tracking and outcome status stay: the
    /// customer's page shows them.
    /// </param>
    public static ReturnDetailDto ToDto(Return entity, IReadOnlyList<ReturnPhoto> photos, IReadOnlyList<string> roles, ReturnsOptions options, DateTimeOffset now, bool customerView)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var audit = entity.Audit.OrderBy(a => a.Sequence).ToList();
        var actions = roles
            .SelectMany(role => ReturnWorkflow.AvailableTo(entity.Status, role).Select(t => new ActionDto(t.Action, t.Label, t.To.ToCode(), t.Input.ToString(), role)))
            .DistinctBy(a => (a.Action, a.To))
            .ToList();
        return new ReturnDetailDto(
            entity.Id,
            entity.Code,
            entity.OrderId,
            entity.OrderNumber,
            entity.CustomerId,
            entity.Status.ToCode(),
            ReturnWorkflow.OwnerOf(entity.Status),
            NextAction(entity, options),
            EnumCodes.Of(entity.Reason),
            entity.Note,
            EnumCodes.Of(entity.PreferredOutcome),
            entity.TrackingNumber,
            EnumCodes.OfNullable(entity.Grade),
            EnumCodes.OfNullable(entity.Mismatch),
            entity.InspectionNotes,
            entity.RejectionReason,
            EnumCodes.OfNullable(entity.SuggestedDisposition),
            EnumCodes.OfNullable(entity.MainDisposition),
            entity.RefundTotal,
            entity.StoreCreditTotal,
            entity.Outcomes.Where(o => o.Kind == Disposition.Refund && o.Status == OutcomeStatus.Succeeded).Sum(o => o.Amount),
            entity.Currency,
            entity.CreatedAt,
            entity.StageEnteredAt,
            ReturnQueries.IsOverdue(entity.StageEnteredAt, entity.Status, now, options.StageSla),
            entity.Version,
            [.. entity.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal).Select(l => new ReturnLineDto(
                l.Id, l.Sku, l.Name, l.UnitPrice, l.Quantity, EnumCodes.OfNullable(l.Disposition), EnumCodes.OfNullable(l.SuggestedDisposition),
                customerView ? null : l.OverrideReason, l.RestockedAt is not null, l.ReceivedQuantity))],
            Stages(entity, audit),
            [.. audit.Select(a => customerView
                ? new TimelineEntryDto(a.From?.ToCode(), a.To.ToCode(), a.Action, CustomerFacingActor(a.Role), a.Role, CustomerFacingReasons.Contains(a.Action) || a.Role == ReturnRoles.Customer ? a.Reason : null, a.At, null)
                : new TimelineEntryDto(a.From?.ToCode(), a.To.ToCode(), a.Action, a.Actor, a.Role, a.Reason, a.At, a.TraceId))],
            [.. entity.Outcomes.OrderBy(o => o.CreatedAt).Select(o => new OutcomeDto(
                o.Id, EnumCodes.Of(o.Kind), o.Amount, EnumCodes.Of(o.Status), o.Attempts, o.LastError, o.Reference, o.CompletedAt))],
            [.. photos.OrderBy(p => p.UploadedAt).Select(p => new PhotoDto(p.Id, p.ContentType, p.Size, p.UploadedByRole, p.UploadedAt))],
            actions);
    }

    /// <summary>
    /// Steps whose audit reason was written for the customer: the rejection reason, the inspection (grade, mismatch, units
    /// received and notes, all shown on the customer's page) and the repaired item's carrier note. Others are staff notes.
    /// </summary>
    private static readonly HashSet<string> CustomerFacingReasons = new(StringComparer.Ordinal) { "reject", "inspect", "repair-shipped" };

    /// <summary>Who acted, as the customer may know it: the team, or "You".</summary>
    private static string CustomerFacingActor(string role) => role switch
    {
        ReturnRoles.Customer => "You",
        ReturnRoles.Support => "Support",
        ReturnRoles.Warehouse => "Warehouse",
        ReturnRoles.Finance => "Finance",
        _ => "System",
    };

    /// <summary>What happens next, in words for the customer and staff alike.</summary>
    public static string NextAction(Return entity, ReturnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(options);
        return entity.Status switch
        {
            ReturnStatus.Submitted or ReturnStatus.Validating => "Support is checking your request; you will get an email when it is approved.",
            ReturnStatus.Approved => $"Ship the item to {options.ReturnAddress} and enter the tracking number.",
            ReturnStatus.Shipping => "The warehouse will confirm when your parcel arrives.",
            ReturnStatus.Received or ReturnStatus.Inspecting => "The warehouse is inspecting the item.",
            ReturnStatus.Inspected => "Support decides the outcome from the inspection.",
            ReturnStatus.Disposition => "Finance will execute the outcome.",
            ReturnStatus.Processing => entity.Outcomes.Any(o => o.Kind == Disposition.Repair && o.Status != OutcomeStatus.Succeeded)
                ? "The item is being repaired; the warehouse ships it back to you."
                : "Your refund, credit or replacement is being processed.",
            ReturnStatus.Completed => "Done. Nothing left to do.",
            ReturnStatus.Rejected => "The return was rejected" + (entity.RejectionReason is null ? "." : ": " + entity.RejectionReason),
            ReturnStatus.Cancelled => "You cancelled this return.",
            _ => "",
        };
    }

    private static List<StageDto> Stages(Return entity, IReadOnlyList<ReturnAuditEntry> audit)
    {
        var reached = audit.GroupBy(a => a.To).ToDictionary(g => g.Key, g => g.Max(a => a.At));
        var stages = MainPath.Select(s => new StageDto(s.ToCode(), reached.ContainsKey(s), entity.Status == s, reached.TryGetValue(s, out var at) ? at : null)).ToList();
        if (entity.Status is ReturnStatus.Rejected or ReturnStatus.Cancelled)
        {
            stages = [.. stages.Where(s => s.Reached), new StageDto(entity.Status.ToCode(), true, true, reached[entity.Status])];
        }

        return stages;
    }
}
