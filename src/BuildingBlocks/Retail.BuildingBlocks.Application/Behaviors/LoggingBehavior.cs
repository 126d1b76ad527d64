using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Retail.BuildingBlocks.Application.Behaviors;

/// <summary>Outermost behavior: one activity and one structured log line per request, with the outcome.</summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    internal static readonly ActivitySource ActivitySource = new("Retail.Mediator");

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var requestName = typeof(TMessage).Name;
        using var activity = ActivitySource.StartActivity(requestName);
        try
        {
            var response = await next(message, cancellationToken);
            if (response is Result { IsSuccess: false } failed)
            {
                activity?.SetTag("retail.error_code", failed.Error.Code);
                logger.LogInformation("{RequestName} failed with {ErrorCode} ({ErrorKind})", requestName, failed.Error.Code, failed.Error.Kind);
            }
            else
            {
                logger.LogDebug("{RequestName} succeeded", requestName);
            }

            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away (client disconnected, shutdown): not a failure of ours.
            activity?.SetStatus(ActivityStatusCode.Unset, "cancelled");
            logger.LogDebug("{RequestName} cancelled by the caller", requestName);
            throw;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            logger.LogError(ex, "{RequestName} threw {ExceptionType}", requestName, ex.GetType().Name);
            throw;
        }
    }
}
