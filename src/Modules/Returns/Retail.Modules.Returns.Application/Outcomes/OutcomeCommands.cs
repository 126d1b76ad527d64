using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Domain;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Outcomes;

/// <summary>
/// Finance: run the outcomes of a return in PROCESSING now (the <c>returns-outcomes</c> job also runs them every minute
/// until done). Owns its transactions: Payments is called outside any Returns transaction.
/// </summary>
[AuthorizeRoles(Roles.Finance)]
public sealed record ExecuteReturnOutcomesCommand(string Code) : ICommand<OutcomeRunReport>, IOwnsTransaction;

public sealed class ExecuteReturnOutcomesCommandHandler(IReturnsDbContext db, ReturnOutcomeProcessor processor, ReturnViewer viewer) : ICommandHandler<ExecuteReturnOutcomesCommand, OutcomeRunReport>
{
    public async ValueTask<Result<OutcomeRunReport>> Handle(ExecuteReturnOutcomesCommand command, CancellationToken cancellationToken)
    {
        // The role check lets admins through, but they act only through a team role they hold (as every other step).
        if (!viewer.TeamRoles.Contains(ReturnRoles.Finance, StringComparer.Ordinal))
        {
            return Error.Forbidden() with { Code = "returns.wrong_role", Message = "Only finance runs a return's outcomes." };
        }

        var code = ReturnCodes.Normalize(command.Code);
        var found = await db.Returns.AsNoTracking().Where(r => r.Code == code).Select(r => new { r.Id, r.CustomerId }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return ReturnErrors.NotFound();
        }

        // Nobody pays out their own return: a finance clerk's own refund is run by a colleague (or the job).
        return viewer.ActsFor(ReturnRoles.Finance, found.CustomerId) ? await processor.ProcessAsync(found.Id, cancellationToken) : ReturnErrors.OwnReturn();
    }
}

/// <summary>Warehouse: the repaired item went back to the customer; completes the return when nothing else is open.</summary>
[AuthorizeRoles(Roles.Warehouse)]
public sealed record RecordRepairShippedCommand(string Code, string? Note, int? ExpectedVersion) : ICommand;

public sealed class RecordRepairShippedCommandHandler(IReturnsDbContext db, ReturnViewer viewer, TimeProvider time) : ICommandHandler<RecordRepairShippedCommand>
{
    public async ValueTask<Result> Handle(RecordRepairShippedCommand command, CancellationToken cancellationToken)
    {
        var entity = await db.LoadAsync(command.Code, cancellationToken);
        if (entity is null)
        {
            return ReturnErrors.NotFound();
        }

        // The role check lets admins through, but they act only through a team role they hold: the audit names a real one.
        if (!viewer.TeamRoles.Contains(ReturnRoles.Warehouse, StringComparer.Ordinal))
        {
            return Error.Forbidden() with { Code = "returns.wrong_role", Message = "Only the warehouse ships a repaired item back." };
        }

        if (!viewer.ActsFor(ReturnRoles.Warehouse, entity.CustomerId))
        {
            return ReturnErrors.OwnReturn();
        }

        if (command.ExpectedVersion is { } expected && expected != entity.Version)
        {
            return ReturnErrors.Stale();
        }

        var now = time.GetUtcNow();
        try
        {
            entity.RecordRepairShipped(viewer.Actor(ReturnRoles.Warehouse), command.Note, now);
        }
        catch (BusinessRuleValidationException broken)
        {
            return Error.Conflict("returns.illegal_transition", broken.Message);
        }

        if (entity.OutcomesDone)
        {
            entity.Apply("complete", ReturnActor.System(viewer.Actor(ReturnRoles.Warehouse).TraceId), TransitionData.None, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ReturnErrors.Stale();
        }

        return Result.Success();
    }
}

/// <summary>Ordering created the replacement order: the REPLACEMENT outcome is done (once, via the inbox).</summary>
public sealed class ReplacementOrderCreatedHandler(IReturnsDbContext db, TimeProvider time, ILogger<ReplacementOrderCreatedHandler> logger) : IIntegrationEventHandler<ReplacementOrderCreated>
{
    public async Task Handle(ReplacementOrderCreated integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var returnId = integrationEvent.ReturnId;
        var entity = await db.Returns.Include(r => r.Outcomes).Include(r => r.Lines).Include(r => r.Audit)
            .SingleOrDefaultAsync(r => r.Id == returnId, cancellationToken);
        var outcome = entity?.Outcomes.SingleOrDefault(o => o.Kind == Disposition.Replacement);
        if (entity is null || outcome is null || outcome.Status == OutcomeStatus.Succeeded)
        {
            return;
        }

        var now = time.GetUtcNow();
        entity.RecordOutcomeSucceeded(outcome.Id, integrationEvent.OrderNumber, now);
        if (entity.OutcomesDone)
        {
            entity.Apply("complete", ReturnActor.System(null), TransitionData.None, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Return {ReturnCode}: replacement order {OrderNumber} created", entity.Code, integrationEvent.OrderNumber);
    }
}
