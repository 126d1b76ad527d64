using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Infrastructure.Outbound;

namespace Retail.Modules.Partners.Infrastructure.Webhooks;

/// <summary>
/// Signed POSTs to a partner's callback URL (X-Timestamp and X-Signature like the webhook itself) through the
/// <c>partners-callbacks</c> Polly pipeline: up to <see cref="PartnersOptions.CallbackRetries"/> retries with exponential
/// backoff on errors and non-2xx answers (0: one attempt, no retry). The host is resolved first and refused when it points
/// at a private range (unless development configuration allows it); the client's connect step
/// (<see cref="PublicAddressConnector"/>) dials only addresses it has checked itself.
/// </summary>
internal sealed class HttpCallbackClient(HttpClient http, PublicAddressConnector addresses, ResiliencePipelineProvider<string> pipelines, IOptions<PartnersOptions> options, TimeProvider time) : ICallbackClient
{
    public const string PipelineName = "partners-callbacks";

    public static void AddPipeline(IServiceCollection services) =>
        services.AddResiliencePipeline<string, int>(PipelineName, (builder, context) =>
        {
            var settings = context.ServiceProvider.GetRequiredService<IOptions<PartnersOptions>>().Value;
            // 0 retries (one attempt) is a valid setting, but Polly's retry strategy refuses MaxRetryAttempts = 0 when the
            // pipeline is built: without retries the pipeline is empty and runs the attempt once.
            if (settings.CallbackRetries <= 0)
            {
                return;
            }

            builder.AddRetry(new RetryStrategyOptions<int>
            {
                MaxRetryAttempts = settings.CallbackRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.CallbackBaseDelay,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<int>()
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>()
                    .HandleResult(status => status is < 200 or >= 300),
            });
        });

    public async Task<IReadOnlyList<CallbackAttemptResult>> DeliverAsync(string url, Func<(string Timestamp, string Signature)> sign, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sign);
        var attempts = new List<CallbackAttemptResult>();
        var settings = options.Value;
        if (!await IsAllowedAsync(url, settings.AllowPrivateCallbackUrls, cancellationToken))
        {
            attempts.Add(new CallbackAttemptResult(time.GetUtcNow(), null, 0, CallbackUrlPolicy.Message));
            return attempts;
        }

        var pipeline = pipelines.GetPipeline<int>(PipelineName);
        try
        {
            await pipeline.ExecuteAsync(async ct =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var status = await PostOnceAsync(url, sign(), body, settings.CallbackTimeout, ct);
                    attempts.Add(new CallbackAttemptResult(time.GetUtcNow(), status, Elapsed(started), status is >= 200 and < 300 ? null : $"HTTP {status}"));
                    return status;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    attempts.Add(new CallbackAttemptResult(time.GetUtcNow(), null, Elapsed(started), ex.GetType().Name + ": " + ex.Message));
                    throw;
                }
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Every attempt failed; they are all in the list.
        }

        return attempts;
    }

    private async Task<int> PostOnceAsync(string url, (string Timestamp, string Signature) signed, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Timestamp", signed.Timestamp);
        request.Headers.Add("X-Signature", "sha256=" + signed.Signature);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        return (int)response.StatusCode;
    }

    /// <summary>
    /// Refuses a URL on a private address before any attempt (one recorded refusal instead of retried connection errors);
    /// the connect step checks again, binding, the address it dials.
    /// </summary>
    private async Task<bool> IsAllowedAsync(string url, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (!CallbackUrlPolicy.IsAllowed(url, allowPrivate))
        {
            return false;
        }

        try
        {
            return await addresses.ResolveAllowedAsync(new Uri(url).Host, cancellationToken) is not null;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
