using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Payments.Application;
using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Infrastructure.Persistence;

/// <summary>The platform's unit of work over the Payments context, under a type handlers can ask for without a key.</summary>
internal sealed class PaymentsUnitOfWork([FromKeyedServices(PaymentsModule.Name)] IUnitOfWork inner) : IPaymentsUnitOfWork
{
    public Task<TResult> ExecuteAsync<TResult>(Func<Task<TResult>> operation, Func<TResult, bool> shouldCommit, CancellationToken cancellationToken) =>
        inner.ExecuteAsync(operation, shouldCommit, cancellationToken);
}
