using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Outbox;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// One database transaction per command. Conditional updates (<c>ExecuteUpdate</c>) and tracked changes plus outbox rows
/// all commit together. A command sent from inside another joins the outer transaction.
/// </summary>
internal sealed class EfUnitOfWork<TContext>(TContext context, IOutboxNudge nudge) : IUnitOfWork
    where TContext : ModuleDbContext
{
    public async Task<TResult> ExecuteAsync<TResult>(Func<Task<TResult>> operation, Func<TResult, bool> shouldCommit, CancellationToken cancellationToken)
    {
        if (context.Database.CurrentTransaction is not null)
        {
            return await operation();
        }

        var strategy = context.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await context.Database.BeginTransactionAsync(ct);
            try
            {
                var outcome = await operation();
                if (shouldCommit(outcome))
                {
                    await context.SaveChangesEndingTransactionAsync(ct);
                    await transaction.CommitAsync(ct);
                }
                else
                {
                    await transaction.RollbackAsync(ct);
                    Discard();
                }

                return outcome;
            }
            catch
            {
                // Rolled back by the dispose; without this the failed work stays tracked and the next SaveChanges of
                // the same scope (a job looping over items, a retry) would commit it.
                Discard();
                throw;
            }
        }, cancellationToken);

        if (context.WroteOutbox)
        {
            context.WroteOutbox = false;
            nudge.Nudge(context.Schema);
        }

        return result;
    }

    private void Discard()
    {
        context.ChangeTracker.Clear();
        context.WroteOutbox = false;
    }
}
