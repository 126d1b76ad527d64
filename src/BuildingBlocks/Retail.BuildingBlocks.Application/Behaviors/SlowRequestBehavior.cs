using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Retail.BuildingBlocks.Application.Behaviors;

public sealed class SlowRequestOptions
{
    /// <summary>Handlers slower than this are logged as warnings.</summary>
    public TimeSpan Threshold { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>Innermost behavior: warns about handlers slower than the configured threshold (time from <see cref="TimeProvider"/>).</summary>
public sealed class SlowRequestBehavior<TMessage, TResponse>(
    TimeProvider timeProvider,
    IOptions<SlowRequestOptions> options,
    ILogger<SlowRequestBehavior<TMessage, TResponse>> logger) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var response = await next(message, cancellationToken);
        var elapsed = timeProvider.GetElapsedTime(started);
        if (elapsed > options.Value.Threshold)
        {
            logger.LogWarning("Slow request {RequestName} took {ElapsedMilliseconds} ms", typeof(TMessage).Name, (long)elapsed.TotalMilliseconds);
        }

        return response;
    }
}
