using Retail.BuildingBlocks.Application.Retention;

namespace Retail.Modules.Catalog.UnitTests.BuildingBlocks;

public sealed class ChunkedDeleteTests
{
    [Fact]
    public async Task Chunks_are_read_and_deleted_until_a_read_finds_nothing_and_the_deletions_add_up()
    {
        var rows = Enumerable.Range(1, ChunkedDelete.ChunkSize * 2 + 7).ToList();
        var reads = 0;

        var deleted = await ChunkedDelete.RunAsync(
            (size, _) => { reads++; return Task.FromResult(rows.Take(size).ToList()); },
            (keys, _) => Task.FromResult(rows.RemoveAll(keys.Contains)),
            CancellationToken.None);

        deleted.ShouldBe(ChunkedDelete.ChunkSize * 2 + 7);
        rows.ShouldBeEmpty();
        reads.ShouldBe(4, "three chunks and the empty read that ends it");
    }

    [Fact]
    public async Task A_cancelled_pass_stops_after_the_chunk_in_hand()
    {
        using var cancellation = new CancellationTokenSource();
        var rows = Enumerable.Range(1, ChunkedDelete.ChunkSize * 3).ToList();

        var deleted = await ChunkedDelete.RunAsync(
            (size, _) => Task.FromResult(rows.Take(size).ToList()),
            (keys, _) =>
            {
                cancellation.Cancel();
                return Task.FromResult(rows.RemoveAll(keys.Contains));
            },
            cancellation.Token);

        deleted.ShouldBe(ChunkedDelete.ChunkSize);
        rows.Count.ShouldBe(ChunkedDelete.ChunkSize * 2);
    }
}
