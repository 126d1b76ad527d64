using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>Asks for an immediate relay pass of a module after a commit wrote outbox rows.</summary>
public interface IOutboxNudge
{
    void Nudge(string module);
}

/// <summary>
/// The low-latency path of the outbox: a commit nudges, this service relays at once. Nudges for the same module
/// coalesce while a pass runs. The Hangfire sweep remains the safety net for anything a crash left behind.
/// </summary>
internal sealed class OutboxNudgeService(OutboxRelay relay, ILogger<OutboxNudgeService> logger) : BackgroundService, IOutboxNudge
{
    private readonly Channel<string> _requests = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _pending = [];
    private readonly Lock _gate = new();

    public void Nudge(string module)
    {
        lock (_gate)
        {
            if (!_pending.Add(module))
            {
                return;
            }
        }

        _requests.Writer.TryWrite(module);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var module in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            lock (_gate)
            {
                _pending.Remove(module);
            }

            try
            {
                await relay.RunAsync(module, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The sweep will pick the rows up again; the nudge is only an optimisation.
                logger.LogWarning(ex, "Immediate outbox relay for {Module} failed; the scheduled sweep will retry", module);
            }
        }
    }
}
