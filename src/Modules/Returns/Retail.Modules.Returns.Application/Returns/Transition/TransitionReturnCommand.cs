using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Domain;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Returns.Transition;

public sealed record LineDispositionInput(Guid LineId, string Disposition, string? OverrideReason);

/// <summary>How many units of a return line the warehouse found in the parcel (inspect).</summary>
public sealed record LineReceivedInput(Guid LineId, int Quantity);

/// <param name="Grade">NEW, LIKE_NEW, USED, DAMAGED or UNUSABLE (inspect).</param>
/// <param name="Mismatch">NONE, WRONG_ITEM, SHORT or DAMAGED (inspect).</param>
public sealed record TransitionInputDto(
    string? Reason = null,
    string? TrackingNumber = null,
    string? Grade = null,
    string? Mismatch = null,
    string? Notes = null,
    IReadOnlyList<LineDispositionInput>? Dispositions = null,
    IReadOnlyList<LineReceivedInput>? Received = null);

/// <summary>
/// Any move of a return, by the customer (cancel, ship) or staff (everything else): the transition table decides which
/// role may do it from which stage. <paramref name="ExpectedVersion"/> is the version the caller saw; when someone else
/// changed the return since, the answer is 409 "reload". A return the caller may not see is 404.
/// </summary>
[Authenticated]
public sealed record TransitionReturnCommand(string Code, string Action, TransitionInputDto? Input, int? ExpectedVersion) : ICommand<TransitionResultDto>;

public sealed record TransitionResultDto(string Code, string From, string Status, int Version);

public sealed class TransitionReturnCommandValidator : AbstractValidator<TransitionReturnCommand>
{
    public TransitionReturnCommandValidator()
    {
        RuleFor(c => c.Code).NotEmpty().MaximumLength(20);
        RuleFor(c => c.Action).NotEmpty().MaximumLength(40);
        RuleFor(c => c.Input!.Reason).MaximumLength(Return.MaxReasonLength).When(c => c.Input is not null);
        RuleFor(c => c.Input!.Notes).MaximumLength(Return.MaxNoteLength).When(c => c.Input is not null);
        RuleFor(c => c.Input!.TrackingNumber).MaximumLength(Return.MaxTrackingLength).When(c => c.Input is not null);
        RuleFor(c => c.Input!.Grade).Must(g => g is null || EnumCodes.Parse<ConditionGrade>(g) is not null)
            .WithMessage("Grade is NEW, LIKE_NEW, USED, DAMAGED or UNUSABLE.").When(c => c.Input is not null);
        RuleFor(c => c.Input!.Mismatch).Must(m => m is null || EnumCodes.Parse<InspectionMismatch>(m) is not null)
            .WithMessage("Mismatch is NONE, WRONG_ITEM, SHORT or DAMAGED.").When(c => c.Input is not null);
        // Child rules skip null entries, which the handler would then dereference: a 500 instead of a 400.
        RuleForEach(c => c.Input!.Dispositions).NotNull().WithMessage("Each disposition needs a line id and a disposition.")
            .When(c => c.Input?.Dispositions is not null);
        RuleForEach(c => c.Input!.Dispositions).ChildRules(d =>
        {
            d.RuleFor(x => x.Disposition).Must(x => EnumCodes.Parse<Disposition>(x) is not null)
                .WithMessage("Disposition is REFUND, REPLACEMENT, REPAIR, STORE_CREDIT or REJECT.");
            d.RuleFor(x => x.OverrideReason).MaximumLength(Return.MaxReasonLength);
        }).When(c => c.Input?.Dispositions is not null);
        RuleForEach(c => c.Input!.Received).NotNull().WithMessage("Each received count needs a line id and a quantity.")
            .When(c => c.Input?.Received is not null);
        RuleForEach(c => c.Input!.Received).ChildRules(r =>
            r.RuleFor(x => x.Quantity).GreaterThanOrEqualTo(0).WithMessage("Units received cannot be negative."))
            .When(c => c.Input?.Received is not null);
    }
}

public sealed partial class TransitionReturnCommandHandler(
    IReturnsDbContext db,
    ReturnViewer viewer,
    IRequestSender sender,
    TimeProvider time,
    ILogger<TransitionReturnCommandHandler> logger) : ICommandHandler<TransitionReturnCommand, TransitionResultDto>
{
    public async ValueTask<Result<TransitionResultDto>> Handle(TransitionReturnCommand command, CancellationToken cancellationToken)
    {
        var entity = await db.LoadAsync(command.Code, cancellationToken);
        if (entity is null || !viewer.CanSee(entity))
        {
            return ReturnErrors.NotFound();
        }

        var action = command.Action.Trim().ToLowerInvariant();
        var transition = ReturnWorkflow.Find(action, entity.Status);
        if (viewer.IsOwner(entity) && transition is not null && !transition.AllowsRole(ReturnRoles.Customer) && viewer.TeamRoles.Any(transition.AllowsRole))
        {
            return ReturnErrors.OwnReturn();
        }

        var role = viewer.RoleFor(entity, transition);
        if (role is null)
        {
            // An admin without a team role may look but not act.
            return Error.Forbidden() with { Code = "returns.wrong_role", Message = "Only support, warehouse, finance or the customer act on returns." };
        }

        // A caller who saw an older version is told to reload first: whatever they decided was based on stale data.
        if (command.ExpectedVersion is { } expected && expected != entity.Version)
        {
            return ReturnErrors.Stale();
        }

        var data = ToData(command.Input);
        if (entity.Check(action, role, data) is { } refusal)
        {
            logger.LogInformation("Return {ReturnCode}: {Action} by {UserId} as {Role} refused from {Status}: {Reason}", entity.Code, action, viewer.UserId, role, entity.Status, refusal.Message);
            return ReturnErrors.Refused(refusal);
        }

        if (action == "decide" && await ReplacementStockProblemAsync(entity, data, cancellationToken) is { } outOfStock)
        {
            return outOfStock;
        }

        var from = entity.Status;
        try
        {
            transition = entity.Apply(action, viewer.Actor(role), data, time.GetUtcNow());
        }
        catch (BusinessRuleValidationException broken)
        {
            // The input's content broke a rule (tracking format, override without reason...): an answer, not a crash.
            return Error.Unprocessable("returns." + broken.RuleName, broken.Message);
        }

        if (transition.To is ReturnStatus.Cancelled or ReturnStatus.Rejected)
        {
            await ReleaseTakenAsync(db, entity.OrderId, entity.Lines.Select(l => (l.Sku, l.Quantity)), cancellationToken);
        }

        if (transition.To is ReturnStatus.Inspected)
        {
            // Units that never arrived were not returned: the customer still has them and may send them in another return.
            await ReleaseTakenAsync(db, entity.OrderId, entity.Lines.Select(l => (l.Sku, l.Quantity - l.UnitsReceived)), cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ReturnErrors.Stale();
        }

        logger.LogInformation("Return {ReturnCode}: {From} → {To} by {UserId} as {Role}", entity.Code, from, transition.To, viewer.UserId, role);
        return new TransitionResultDto(entity.Code, from.ToCode(), entity.Status.ToCode(), entity.Version);
    }

    /// <summary>
    /// A REPLACEMENT is made from stock: Catalog holds the units for the replacement order, and cannot hold what it does
    /// not have. Such a decision used to be accepted; the return then completed on a replacement order no stock was held for
    /// while Catalog's hold failed on every retry until it was dead-lettered, and nobody was told. Refused here, when staff
    /// can still choose a refund or store credit. Stock sold between this check and the hold is not covered (see
    /// docs/returns.md).
    /// </summary>
    private async Task<Error?> ReplacementStockProblemAsync(Return entity, TransitionData data, CancellationToken cancellationToken)
    {
        var replaced = (data.Dispositions ?? [])
            .Where(d => d.Disposition == Disposition.Replacement)
            .Select(d => entity.Lines.SingleOrDefault(l => l.Id == d.LineId))
            .OfType<ReturnLine>()
            .Where(l => l.UnitsReceived > 0)
            .GroupBy(l => l.Sku, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Sku: g.Key, Needed: g.Sum(l => l.UnitsReceived)))
            .ToList();
        if (replaced.Count == 0)
        {
            return null;
        }

        var products = await sender.Send(new GetProductsForCheckout([.. replaced.Select(r => r.Sku)]), cancellationToken);
        if (!products.IsSuccess)
        {
            return products.Error;
        }

        foreach (var (sku, needed) in replaced)
        {
            var inStock = products.Value.Where(p => string.Equals(p.Sku, sku, StringComparison.OrdinalIgnoreCase)).Select(p => p.Stock).FirstOrDefault();
            if (inStock < needed)
            {
                LogReplacementOutOfStock(logger, entity.Code, sku, needed, inStock);
                return Error.Unprocessable(
                    "returns.replacement_out_of_stock",
                    $"A replacement cannot be made: {sku} is out of stock ({needed} needed, {Math.Max(0, inStock)} in stock). Choose a refund or store credit instead, or decide again when it is back in stock.");
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Return {ReturnCode}: replacement of {Sku} refused, {Needed} needed and {InStock} in stock")]
    private static partial void LogReplacementOutOfStock(ILogger logger, string returnCode, string sku, int needed, int inStock);

    /// <summary>
    /// Gives units back to the order's lines (conditional, never below zero): all of a cancelled or rejected return's, the
    /// missing ones of a short delivery.
    /// </summary>
    internal static async Task ReleaseTakenAsync(IReturnsDbContext db, Guid orderId, IEnumerable<(string Sku, int Quantity)> lines, CancellationToken cancellationToken)
    {
        foreach (var (sku, quantity) in lines.Where(l => l.Quantity > 0).ToList())
        {
            await db.PurchasedLines
                .Where(l => l.OrderId == orderId && l.Sku == sku && l.Taken >= quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Taken, l => l.Taken - quantity), cancellationToken);
        }
    }

    private static TransitionData ToData(TransitionInputDto? input)
    {
        if (input is null)
        {
            return TransitionData.None;
        }

        InspectionInput? inspection = EnumCodes.Parse<ConditionGrade>(input.Grade) is { } grade
            ? new InspectionInput(
                grade,
                EnumCodes.Parse<InspectionMismatch>(input.Mismatch) ?? InspectionMismatch.None,
                input.Notes,
                input.Received is { Count: > 0 } received ? [.. received.Select(r => new LineReceived(r.LineId, r.Quantity))] : null)
            : null;
        List<LineDisposition>? dispositions = input.Dispositions is { Count: > 0 } list
            ? [.. list.Select(d => new LineDisposition(d.LineId, EnumCodes.Parse<Disposition>(d.Disposition) ?? Disposition.Reject, d.OverrideReason))]
            : null;
        return new TransitionData(input.Reason, input.TrackingNumber, inspection, dispositions);
    }
}
