namespace Retail.BuildingBlocks.Application.Concurrency;

/// <summary>
/// Shares one read among the callers asking for the same key at the same time, without ever answering a caller from a
/// read that began before it asked: a caller that arrives while a read is running waits for the next one, which starts
/// as soon as the running one ends and serves everyone who arrived meanwhile (group commit, for reads). So under a
/// storm at most one read per key runs at a time, and each answer is as fresh as a read of the caller's own.
/// </summary>
/// <remarks>
/// The read runs on behalf of many callers, so it gets no caller's cancellation (a caller that gives up stops waiting,
/// the read goes on for the others) and must not use a caller's scoped services. A failed read fails exactly the
/// callers it was serving; the next caller starts a new one.
/// </remarks>
public sealed class CoalescedReads<TKey, TValue>(Func<TKey, CancellationToken, Task<TValue>> read)
    where TKey : notnull
{
    private readonly Dictionary<TKey, Slot> _slots = [];
    private readonly Lock _gate = new();
    private long _readsStarted;

    /// <summary>How many reads have started (for tests and metrics).</summary>
    public long ReadsStarted => Interlocked.Read(ref _readsStarted);

    public Task<TValue> ReadAsync(TKey key, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<TValue>? first = null;
        Slot? slot;
        Task<TValue> answer;
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out slot))
            {
                slot = new Slot();
                _slots[key] = slot;
                first = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                answer = first.Task;
            }
            else
            {
                slot.Next ??= new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                answer = slot.Next.Task;
            }
        }

        if (first is not null)
        {
            _ = RunAsync(key, slot, first); // the read itself runs outside the lock
        }

        return cancellationToken.CanBeCanceled ? answer.WaitAsync(cancellationToken) : answer;
    }

    // Runs the read for its waiters, then the reads queued behind it, one after another, until nobody waits.
    private async Task RunAsync(TKey key, Slot slot, TaskCompletionSource<TValue> waiters)
    {
        while (true)
        {
            Interlocked.Increment(ref _readsStarted);
            try
            {
                waiters.TrySetResult(await read(key, CancellationToken.None));
            }
            catch (Exception ex)
            {
                waiters.TrySetException(ex);
            }

            lock (_gate)
            {
                if (slot.Next is null)
                {
                    _slots.Remove(key);
                    return;
                }

                waiters = slot.Next;
                slot.Next = null;
            }
        }
    }

    private sealed class Slot
    {
        public TaskCompletionSource<TValue>? Next { get; set; }
    }
}
