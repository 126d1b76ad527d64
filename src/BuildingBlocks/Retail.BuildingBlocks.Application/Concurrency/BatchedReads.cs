namespace Retail.BuildingBlocks.Application.Concurrency;

/// <summary>
/// Answers many concurrent lookups with few reads, without ever answering a caller from a read that began before it
/// asked: one read runs at a time; the callers that arrive while it runs wait for the next one, which starts as soon as
/// it ends and looks up all their keys at once (group commit, for reads). Callers asking for the same key share its
/// answer. So a storm costs one read at a time instead of one per request, and each answer is as fresh as a read of
/// the caller's own.
/// </summary>
/// <remarks>
/// The read runs on behalf of many callers, so it gets no caller's cancellation (a caller that gives up stops waiting,
/// the read goes on for the others) and must not use a caller's scoped services. A failed read fails exactly the
/// callers it was serving; the next caller starts a new one. A key the read's answer leaves out gets <c>default</c>.
/// </remarks>
/// <param name="read">Looks up a batch of distinct keys (at most <paramref name="maxBatch"/>).</param>
/// <param name="maxBatch">Keys per read (keeps the query's parameter list bounded); the rest wait for the next read.</param>
public sealed class BatchedReads<TKey, TValue>(Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> read, int maxBatch = 256)
    where TKey : notnull
{
    // Checked up front: a batch of none would never empty the queue and the read loop would never end.
    private readonly int _maxBatch = maxBatch > 0 ? maxBatch : throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "A batch holds at least one key.");
    private readonly Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> _read = read ?? throw new ArgumentNullException(nameof(read));
    private readonly Dictionary<TKey, TaskCompletionSource<TValue?>> _waiting = [];
    private readonly Lock _gate = new();
    private bool _reading;
    private long _readsStarted;

    /// <summary>How many reads have started (for tests and metrics).</summary>
    public long ReadsStarted => Interlocked.Read(ref _readsStarted);

    public Task<TValue?> ReadAsync(TKey key, CancellationToken cancellationToken = default)
    {
        Task<TValue?> answer;
        var start = false;
        lock (_gate)
        {
            if (!_waiting.TryGetValue(key, out var waiter))
            {
                waiter = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting[key] = waiter;
            }

            answer = waiter.Task;
            if (!_reading)
            {
                _reading = true;
                start = true;
            }
        }

        if (start)
        {
            // Never on the caller's thread: a read that completes synchronously (SQLite's does) would otherwise run
            // start to end inside this call, and on a busy core no other caller could ever join a batch.
            _ = Task.Run(RunAsync);
        }

        return cancellationToken.CanBeCanceled ? answer.WaitAsync(cancellationToken) : answer;
    }

    // Takes the waiting keys and reads them, again and again, until nobody waits.
    private async Task RunAsync()
    {
        while (true)
        {
            List<KeyValuePair<TKey, TaskCompletionSource<TValue?>>> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _reading = false;
                    return;
                }

                batch = [.. _waiting.Take(_maxBatch)];
                foreach (var (key, _) in batch)
                {
                    _waiting.Remove(key);
                }
            }

            Interlocked.Increment(ref _readsStarted);
            try
            {
                var found = await _read([.. batch.Select(b => b.Key)], CancellationToken.None);
                foreach (var (key, waiter) in batch)
                {
                    waiter.TrySetResult(found.TryGetValue(key, out var value) ? value : default);
                }
            }
            catch (Exception ex)
            {
                foreach (var (_, waiter) in batch)
                {
                    waiter.TrySetException(ex);
                }
            }
        }
    }
}
