using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using HdrHistogram;

// Open-loop load generator in the style of wrk2: requests follow a fixed-rate schedule. One pacer thread releases each
// slot when its intended send time comes (waking every millisecond; no spinning, which is what saturated the generator's
// core near 2,000 req/s before) into a queue that a fixed set of workers (one connection each) drains. Each latency is
// measured from the slot's INTENDED send time, so a stalled server cannot hide its stall by slowing the generator
// (coordinated omission): when the server falls behind, slots wait in the queue and the waiting shows up in the
// percentiles. The pacer's up-to-a-millisecond release delay counts against us, never for us.
// The schedule starts with --warmup seconds that are sent at the same rate but not recorded: a fresh generator process
// opens its connections and JIT-compiles its own request path during its first ~100 ms, and the requests queued behind
// that would otherwise be charged to the server (they were the whole p99.9 at 500 req/s, where a second client on the
// same server saw no request over 15 ms).
// Usage: LoadGen --url URL --rate N --seconds S [--connections C] [--warmup W]
// Prints one JSON object: sent, ok, errors, achieved rate, p50/p99/p99.9/max in ms, generator CPU % (measured part only).
var options = Options.Parse(args);
var warmupSlots = (long)options.Rate * options.Warmup;
var total = warmupSlots + (long)options.Rate * options.Seconds;
var interval = (double)Stopwatch.Frequency / options.Rate;
var histogram = new LongHistogram(TimeStamp.Seconds(60), 3);
var gate = new object();
long ok = 0, errors = 0;
var slots = System.Threading.Channels.Channel.CreateUnbounded<long>(new System.Threading.Channels.UnboundedChannelOptions { SingleWriter = true });

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Connections,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    ConnectTimeout = TimeSpan.FromSeconds(5),
    AutomaticDecompression = DecompressionMethods.None,
    UseProxy = false,
};
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

var process = Process.GetCurrentProcess();
var start = Stopwatch.GetTimestamp();
var measuredFrom = start + (long)(warmupSlots * interval);
var measuring = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var pacer = new Thread(Pace) { IsBackground = true, Name = "pacer" };
pacer.Start();
var workers = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(WorkerAsync)).ToArray();
await measuring.Task;
process.Refresh();
var cpuBefore = process.TotalProcessorTime;
var gcPauseBefore = GC.GetTotalPauseDuration();
var gcCountBefore = GC.CollectionCount(0);
var wall = Stopwatch.StartNew();
await Task.WhenAll(workers);
wall.Stop();
process.Refresh();
var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / wall.Elapsed.TotalMilliseconds * 100;

double Ms(double percentile) =>
    histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / OutputScalingFactor.TimeStampToMilliseconds;

Console.WriteLine(JsonSerializer.Serialize(new
{
    url = options.Url,
    targetRate = options.Rate,
    seconds = options.Seconds,
    warmupSeconds = options.Warmup,
    sent = ok + errors,
    ok,
    errors,
    achievedRate = Math.Round((ok + errors) / wall.Elapsed.TotalSeconds, 1),
    p50Ms = Math.Round(Ms(50), 3),
    p99Ms = Math.Round(Ms(99), 3),
    p999Ms = Math.Round(Ms(99.9), 3),
    maxMs = Math.Round(histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / OutputScalingFactor.TimeStampToMilliseconds, 3),
    generatorCpuPercent = Math.Round(cpu, 1),
    // The generator's own garbage collections stall its receiving too; a long pause here shows up as server latency.
    generatorGcPauseMs = Math.Round((GC.GetTotalPauseDuration() - gcPauseBefore).TotalMilliseconds, 1),
    generatorGcCount = GC.CollectionCount(0) - gcCountBefore,
}));
return errors == 0 ? 0 : 3;

void Pace()
{
    for (long slot = 0; slot < total;)
    {
        var now = Stopwatch.GetTimestamp();
        for (long intended; slot < total && (intended = start + (long)(slot * interval)) <= now; slot++)
        {
            if (slot == warmupSlots)
            {
                measuring.TrySetResult();
            }

            slots.Writer.TryWrite(intended);
        }

        Thread.Sleep(1);
    }

    slots.Writer.Complete();
}

async Task WorkerAsync()
{
    await foreach (var intended in slots.Reader.ReadAllAsync())
    {
        try
        {
            using var response = await client.GetAsync(options.Url, HttpCompletionOption.ResponseContentRead);
            Record(intended, response.IsSuccessStatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Record(intended, succeeded: false);
        }
    }
}

void Record(long intended, bool succeeded)
{
    if (intended < measuredFrom)
    {
        // Warm-up slot; an error here still fails the run, since it says the server or the setup is broken.
        if (!succeeded)
        {
            Interlocked.Increment(ref errors);
        }

        return;
    }

    Interlocked.Increment(ref succeeded ? ref ok : ref errors);
    var elapsed = Math.Clamp(Stopwatch.GetTimestamp() - intended, 0, histogram.HighestTrackableValue);
    lock (gate)
    {
        histogram.RecordValue(elapsed);
    }
}

internal sealed record Options(string Url, int Rate, int Seconds, int Connections, int Warmup)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback ?? throw new ArgumentException($"missing {name}");
        }

        int Int(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
        return new Options(Get("--url"), Int("--rate", "1000"), Int("--seconds", "10"), Int("--connections", "64"), Int("--warmup", "2"));
    }
}
