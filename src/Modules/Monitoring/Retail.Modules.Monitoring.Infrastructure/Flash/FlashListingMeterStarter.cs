using Microsoft.Extensions.Hosting;
using Retail.Modules.Monitoring.Application.Flash;

namespace Retail.Modules.Monitoring.Infrastructure.Flash;

/// <summary>Creates the <see cref="FlashListingMeter"/> singleton when the host starts, so its listener counts from the first request.</summary>
internal sealed class FlashListingMeterStarter(FlashListingMeter meter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(meter);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
