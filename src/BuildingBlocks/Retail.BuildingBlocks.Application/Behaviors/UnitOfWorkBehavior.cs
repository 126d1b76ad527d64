using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.BuildingBlocks.Application.Behaviors;

/// <summary>
/// Wraps each command in one transaction of its own module's context: the handler's changes and the outbox rows
/// commit together, or (on a failed Result or an exception) nothing is written.
/// </summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(IServiceProvider services) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly bool IsCommand = typeof(ICommandBase).IsAssignableFrom(typeof(TMessage)) && !typeof(IOwnsTransaction).IsAssignableFrom(typeof(TMessage));

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (!IsCommand)
        {
            return await next(message, cancellationToken);
        }

        var unitOfWork = services.GetRequiredKeyedService<IUnitOfWork>(ModuleNames.Require(typeof(TMessage)));
        return await unitOfWork.ExecuteAsync(
            async () => await next(message, cancellationToken),
            response => response is not Result { IsSuccess: false },
            cancellationToken);
    }
}
