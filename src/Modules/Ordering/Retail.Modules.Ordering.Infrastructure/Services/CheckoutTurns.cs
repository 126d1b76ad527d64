using Retail.Modules.Ordering.Application.Abstractions;

namespace Retail.Modules.Ordering.Infrastructure.Services;

/// <summary>
/// <see cref="ICheckoutTurns"/> as one async turn per customer with a checkout running or waiting (a singleton); a
/// customer's entry is dropped when the last of their attempts leaves, so memory follows the checkouts in flight.
/// </summary>
internal sealed class CheckoutTurns : ICheckoutTurns
{
    private readonly Dictionary<string, Turn> _turns = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Customers with a checkout running or waiting here (for tests and diagnostics).</summary>
    public int Customers
    {
        get
        {
            lock (_lock)
            {
                return _turns.Count;
            }
        }
    }

    public async ValueTask<IDisposable> TakeAsync(string userId, CancellationToken cancellationToken)
    {
        Turn turn;
        lock (_lock)
        {
            if (!_turns.TryGetValue(userId, out turn!))
            {
                turn = new Turn();
                _turns[userId] = turn;
            }

            turn.Holders++;
        }

        try
        {
            await turn.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(userId, turn, release: false);
            throw;
        }

        return new Lease(this, userId, turn);
    }

    private void Leave(string userId, Turn turn, bool release)
    {
        if (release)
        {
            turn.Gate.Release();
        }

        lock (_lock)
        {
            if (--turn.Holders == 0)
            {
                _turns.Remove(userId);
                turn.Gate.Dispose();
            }
        }
    }

    private sealed class Turn
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Holders { get; set; }
    }

    private sealed class Lease(CheckoutTurns owner, string userId, Turn turn) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(userId, turn, release: true);
            }
        }
    }
}
