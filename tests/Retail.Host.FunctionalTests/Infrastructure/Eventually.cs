using System.Diagnostics;

namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>Waits for background work (the outbox relay) by polling a condition until a bounded deadline.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> isDone, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            var value = await probe();
            if (isDone(value))
            {
                return value;
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }

            // Short back-off between polls, not a fixed wait: the loop ends as soon as the condition holds.
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
