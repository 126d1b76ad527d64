namespace Retail.BuildingBlocks.Application.Retention;

/// <summary>
/// The one way a retention job deletes old rows: read the keys of the next chunk (oldest first, through an index), delete
/// those rows by key, and repeat until a read finds none. Each chunk is its own short write, so the writers queued behind
/// a cleanup wait for one chunk, not for all of it; deleting by key keeps SQLite on the key's index (ADR 0010).
/// </summary>
public static class ChunkedDelete
{
    public const int ChunkSize = 1000;

    /// <param name="readChunk">Reads the keys of at most the given number of rows still to delete.</param>
    /// <param name="deleteChunk">Deletes the rows of those keys; returns how many it deleted.</param>
    /// <returns>How many rows were deleted in all.</returns>
    public static async Task<int> RunAsync<TKey>(
        Func<int, CancellationToken, Task<List<TKey>>> readChunk,
        Func<List<TKey>, CancellationToken, Task<int>> deleteChunk,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readChunk);
        ArgumentNullException.ThrowIfNull(deleteChunk);
        var deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var keys = await readChunk(ChunkSize, cancellationToken);
            if (keys.Count == 0)
            {
                break;
            }

            deleted += await deleteChunk(keys, cancellationToken);
        }

        return deleted;
    }
}
