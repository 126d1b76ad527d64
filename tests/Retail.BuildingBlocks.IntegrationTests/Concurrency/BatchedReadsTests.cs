using System.Threading.Channels;
using Retail.BuildingBlocks.Application.Concurrency;

namespace Retail.BuildingBlocks.IntegrationTests.Concurrency;

/// <summary>One read at a time for everyone waiting, and never an answer from a read that began before the caller asked.</summary>
public sealed class BatchedReadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_lone_caller_gets_a_read_of_its_own_and_a_key_the_read_leaves_out_gets_default()
    {
        var reads = new ScriptedReads();
        var batched = reads.Batched();

        var found = batched.ReadAsync("sku-a");
        var read = await reads.NextAsync();
        read.Keys.ShouldBe(["sku-a"]);
        read.Answer(("sku-a", 7));
        (await found.WaitAsync(Patience)).ShouldBe(7);

        var missing = batched.ReadAsync("sku-b");
        (await reads.NextAsync()).Answer();
        (await missing.WaitAsync(Patience)).ShouldBe(0);
        batched.ReadsStarted.ShouldBe(2);
    }

    [Fact]
    public async Task Callers_arriving_during_a_read_share_the_next_one_which_starts_after_it()
    {
        var reads = new ScriptedReads();
        var batched = reads.Batched();
        var first = batched.ReadAsync("sku-a");
        var running = await reads.NextAsync();

        var again = batched.ReadAsync("sku-a");
        var other = batched.ReadAsync("sku-b");
        var twin = batched.ReadAsync("sku-b");
        reads.Started.ShouldBe(1, "nobody starts a read while one runs");

        running.Answer(("sku-a", 1), ("sku-b", 100));
        (await first.WaitAsync(Patience)).ShouldBe(1);
        var next = await reads.NextAsync();
        next.Keys.ShouldBe(["sku-a", "sku-b"], ignoreOrder: true);
        again.IsCompleted.ShouldBeFalse("the running read began before it asked, even for the same key");
        other.IsCompleted.ShouldBeFalse("a key is never answered by a read that did not look it up");

        next.Answer(("sku-a", 2), ("sku-b", 20));
        (await again.WaitAsync(Patience)).ShouldBe(2);
        (await other.WaitAsync(Patience)).ShouldBe(20);
        (await twin.WaitAsync(Patience)).ShouldBe(20);
        batched.ReadsStarted.ShouldBe(2, "four callers, two reads");
    }

    [Fact]
    public async Task A_batch_holds_at_most_max_batch_keys_and_the_rest_are_read_next()
    {
        var reads = new ScriptedReads();
        var batched = reads.Batched(maxBatch: 2);
        var first = batched.ReadAsync("k0");
        var running = await reads.NextAsync();
        var waiting = Enumerable.Range(1, 3).Select(i => batched.ReadAsync("k" + i)).ToList();

        running.Answer(("k0", 0));
        await first.WaitAsync(Patience);
        var second = await reads.NextAsync();
        second.Keys.Count.ShouldBe(2);
        second.Answer([.. second.Keys.Select(k => (k, int.Parse(k[1..], System.Globalization.CultureInfo.InvariantCulture)))]);
        var third = await reads.NextAsync();
        third.Keys.Count.ShouldBe(1);
        third.Answer([.. third.Keys.Select(k => (k, int.Parse(k[1..], System.Globalization.CultureInfo.InvariantCulture)))]);

        (await Task.WhenAll(waiting).WaitAsync(Patience)).ShouldBe([1, 2, 3]);
    }

    [Fact]
    public async Task A_read_never_runs_on_the_callers_thread_so_a_synchronous_one_cannot_keep_others_from_joining()
    {
        using var callerReturned = new ManualResetEventSlim();
        var batched = new BatchedReads<string, int>((keys, _) =>
        {
            // Run inline, this would wait for the caller to return from ReadAsync: it cannot, so it would time out.
            var value = callerReturned.Wait(Patience) ? 1 : -1;
            return Task.FromResult<IReadOnlyDictionary<string, int>>(keys.ToDictionary(k => k, _ => value));
        });

        var answer = batched.ReadAsync("sku-a");
        callerReturned.Set();

        (await answer.WaitAsync(Patience)).ShouldBe(1);
    }

    [Fact]
    public async Task A_caller_that_gives_up_stops_waiting_and_the_read_goes_on_for_the_others()
    {
        var reads = new ScriptedReads();
        var batched = reads.Batched();
        using var patience = new CancellationTokenSource();
        var impatient = batched.ReadAsync("sku-a", patience.Token);
        var patient = batched.ReadAsync("sku-b");
        var running = await reads.NextAsync();
        running.Keys.ShouldContain("sku-a");

        await patience.CancelAsync();
        await Should.ThrowAsync<TaskCanceledException>(() => impatient.WaitAsync(Patience));
        running.Token.IsCancellationRequested.ShouldBeFalse("the read serves others too");

        running.Answer(("sku-a", 5), ("sku-b", 6));
        if (!running.Keys.Contains("sku-b"))
        {
            // sku-b came just after the first read took its batch: it is answered by the next one.
            (await reads.NextAsync()).Answer(("sku-b", 6));
        }

        (await patient.WaitAsync(Patience)).ShouldBe(6);
    }

    [Fact]
    public async Task A_failed_read_fails_only_its_callers_and_the_next_caller_reads_again()
    {
        var reads = new ScriptedReads();
        var batched = reads.Batched();
        var failing = batched.ReadAsync("sku-a");
        (await reads.NextAsync()).Fail(new InvalidOperationException("database is locked"));

        (await Should.ThrowAsync<InvalidOperationException>(() => failing.WaitAsync(Patience))).Message.ShouldBe("database is locked");

        var retry = batched.ReadAsync("sku-a");
        (await reads.NextAsync()).Answer(("sku-a", 3));
        (await retry.WaitAsync(Patience)).ShouldBe(3);
        batched.ReadsStarted.ShouldBe(2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_batch_of_no_keys_is_refused_up_front(int maxBatch) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ScriptedReads().Batched(maxBatch)).ParamName.ShouldBe("maxBatch");

    /// <summary>Reads the test answers by hand: each started read shows up on <see cref="NextAsync"/>.</summary>
    private sealed class ScriptedReads
    {
        private readonly Channel<Read> _started = Channel.CreateUnbounded<Read>();
        private int _count;

        public int Started => Volatile.Read(ref _count);

        public BatchedReads<string, int> Batched(int maxBatch = 256) => new((keys, token) =>
        {
            Interlocked.Increment(ref _count);
            var read = new Read(keys, token);
            _started.Writer.TryWrite(read);
            return read.Result.Task;
        }, maxBatch);

        public async Task<Read> NextAsync() => await _started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
    }

    private sealed class Read(IReadOnlyList<string> keys, CancellationToken token)
    {
        public IReadOnlyList<string> Keys { get; } = keys;

        public CancellationToken Token { get; } = token;

        public TaskCompletionSource<IReadOnlyDictionary<string, int>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Answer(params (string Key, int Value)[] found) => Result.SetResult(found.ToDictionary(f => f.Key, f => f.Value));

        public void Fail(Exception ex) => Result.SetException(ex);
    }
}
