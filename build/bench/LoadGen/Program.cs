using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using HdrHistogram;

// Open-loop load generator: requests are scheduled at a fixed rate and each latency is measured from the request's
// INTENDED send time, so a stalled server cannot hide its stall by slowing the generator down (coordinated omission).
// Usage: LoadGen --url URL --rate N --seconds S [--connections C] [--max-in-flight M]
// Prints one JSON object: sent, ok, errors, achieved rate, p50/p99/p99.9/max in ms, generator CPU %.
var options = Options.Parse(args);
using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Connections,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    AutomaticDecompression = DecompressionMethods.None,
    UseProxy = false,
};
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

var histogram = new LongHistogram(TimeStamp.Seconds(30), 3);
var gate = new object();
long ok = 0, errors = 0, inFlight = 0, saturated = 0;
var total = (long)(options.Rate * options.Seconds);
var interval = Stopwatch.Frequency / options.Rate;
var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var wall = Stopwatch.StartNew();
var start = Stopwatch.GetTimestamp();
var pending = new List<Task>(capacity: (int)Math.Min(total, 1_000_000));

for (long i = 0; i < total; i++)
{
    var intended = start + (long)(i * interval);
    var wait = intended - Stopwatch.GetTimestamp();
    if (wait > Stopwatch.Frequency / 1000)
    {
        await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
    }

    if (Interlocked.Read(ref inFlight) >= options.MaxInFlight)
    {
        // The server has fallen so far behind that more in-flight requests would only measure the generator.
        Interlocked.Increment(ref saturated);
        Interlocked.Increment(ref errors);
        continue;
    }

    Interlocked.Increment(ref inFlight);
    pending.Add(SendAsync(intended));
}

await Task.WhenAll(pending);
wall.Stop();
var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / wall.Elapsed.TotalMilliseconds * 100;

double Ms(double percentile) => histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / (double)OutputScalingFactor.TimeStampToMilliseconds / 1.0;

var result = new
{
    url = options.Url,
    targetRate = options.Rate,
    seconds = options.Seconds,
    sent = ok + errors,
    ok,
    errors,
    saturated,
    achievedRate = Math.Round((ok + errors) / wall.Elapsed.TotalSeconds, 1),
    p50Ms = Math.Round(Ms(50), 3),
    p99Ms = Math.Round(Ms(99), 3),
    p999Ms = Math.Round(Ms(99.9), 3),
    maxMs = Math.Round(histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / OutputScalingFactor.TimeStampToMilliseconds, 3),
    generatorCpuPercent = Math.Round(cpu, 1),
};
Console.WriteLine(JsonSerializer.Serialize(result));
return errors == 0 ? 0 : 3;

async Task SendAsync(long intended)
{
    try
    {
        using var response = await client.GetAsync(options.Url, HttpCompletionOption.ResponseContentRead);
        var elapsed = Stopwatch.GetTimestamp() - intended;
        lock (gate)
        {
            histogram.RecordValue(elapsed);
        }

        if (response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref ok);
        }
        else
        {
            Interlocked.Increment(ref errors);
        }
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        Interlocked.Increment(ref errors);
    }
    finally
    {
        Interlocked.Decrement(ref inFlight);
    }
}

internal sealed record Options(string Url, int Rate, int Seconds, int Connections, int MaxInFlight)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1]
                : fallback ?? throw new ArgumentException($"missing {name}");
        }

        int Int(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
        return new Options(Get("--url"), Int("--rate", "1000"), Int("--seconds", "10"), Int("--connections", "64"), Int("--max-in-flight", "5000"));
    }
}
