using System.Threading.Channels;
using Retail.BuildingBlocks.Application.Concurrency;

namespace Retail.BuildingBlocks.IntegrationTests.Concurrency;

/// <summary>One read per key at a time, and never an answer from a read that began before the caller asked.</summary>
public sealed class CoalescedReadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_lone_caller_gets_a_read_of_its_own()
    {
        var reads = new ScriptedReads();
        var coalesced = reads.Coalesced();

        var answer = coalesced.ReadAsync("sku-a");
        var read = await reads.NextAsync();
        read.Key.ShouldBe("sku-a");
        read.Answer.SetResult(7);

        (await answer.WaitAsync(Patience)).ShouldBe(7);
        coalesced.ReadsStarted.ShouldBe(1);
    }

    [Fact]
    public async Task Callers_arriving_during_a_read_share_the_next_one_which_starts_after_it()
    {
        var reads = new ScriptedReads();
        var coalesced = reads.Coalesced();
        var first = coalesced.ReadAsync("sku-a");
        var running = await reads.NextAsync();

        var second = coalesced.ReadAsync("sku-a");
        var third = coalesced.ReadAsync("sku-a");
        reads.Started.ShouldBe(1, "nobody starts a read while one runs");
        second.IsCompleted.ShouldBeFalse();

        running.Answer.SetResult(1);
        (await first.WaitAsync(Patience)).ShouldBe(1);
        var next = await reads.NextAsync();
        second.IsCompleted.ShouldBeFalse("the running read began before they asked; they wait for the next");
        third.IsCompleted.ShouldBeFalse();

        next.Answer.SetResult(2);
        (await second.WaitAsync(Patience)).ShouldBe(2);
        (await third.WaitAsync(Patience)).ShouldBe(2);
        coalesced.ReadsStarted.ShouldBe(2, "three callers, two reads");
    }

    [Fact]
    public async Task Different_keys_are_read_independently()
    {
        var reads = new ScriptedReads();
        var coalesced = reads.Coalesced();

        var a = coalesced.ReadAsync("sku-a");
        var b = coalesced.ReadAsync("sku-b");
        var readA = await reads.NextAsync();
        var readB = await reads.NextAsync();
        new[] { readA.Key, readB.Key }.ShouldBe(["sku-a", "sku-b"], ignoreOrder: true);

        readB.Answer.SetResult(20);
        (await b.WaitAsync(Patience)).ShouldBe(20);
        a.IsCompleted.ShouldBeFalse();
        readA.Answer.SetResult(10);
        (await a.WaitAsync(Patience)).ShouldBe(10);
    }

    [Fact]
    public async Task A_caller_that_gives_up_stops_waiting_and_the_read_goes_on_for_the_others()
    {
        var reads = new ScriptedReads();
        var coalesced = reads.Coalesced();
        using var patience = new CancellationTokenSource();
        var impatient = coalesced.ReadAsync("sku-a", patience.Token);
        var patient = coalesced.ReadAsync("sku-a");
        var running = await reads.NextAsync();

        await patience.CancelAsync();
        await Should.ThrowAsync<TaskCanceledException>(() => impatient.WaitAsync(Patience));
        running.Token.IsCancellationRequested.ShouldBeFalse("the read serves others too");

        running.Answer.SetResult(5);
        var forPatient = await reads.NextAsync(); // the patient one arrived during the first read
        forPatient.Answer.SetResult(6);
        (await patient.WaitAsync(Patience)).ShouldBe(6);
    }

    [Fact]
    public async Task A_failed_read_fails_only_its_callers_and_the_next_caller_reads_again()
    {
        var reads = new ScriptedReads();
        var coalesced = reads.Coalesced();
        var failing = coalesced.ReadAsync("sku-a");
        (await reads.NextAsync()).Answer.SetException(new InvalidOperationException("database is locked"));

        (await Should.ThrowAsync<InvalidOperationException>(() => failing.WaitAsync(Patience))).Message.ShouldBe("database is locked");

        var retry = coalesced.ReadAsync("sku-a");
        (await reads.NextAsync()).Answer.SetResult(3);
        (await retry.WaitAsync(Patience)).ShouldBe(3);
        coalesced.ReadsStarted.ShouldBe(2);
    }

    /// <summary>Reads the test answers by hand: each started read shows up on <see cref="NextAsync"/>.</summary>
    private sealed class ScriptedReads
    {
        private readonly Channel<(string Key, TaskCompletionSource<int> Answer, CancellationToken Token)> _started = Channel.CreateUnbounded<(string, TaskCompletionSource<int>, CancellationToken)>();
        private int _count;

        public int Started => Volatile.Read(ref _count);

        public CoalescedReads<string, int> Coalesced() => new((key, token) =>
        {
            Interlocked.Increment(ref _count);
            var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _started.Writer.TryWrite((key, answer, token));
            return answer.Task;
        });

        public async Task<(string Key, TaskCompletionSource<int> Answer, CancellationToken Token)> NextAsync() =>
            await _started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
    }
}
