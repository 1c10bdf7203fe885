using System.Security.Cryptography;
using ReplicaSync.Storage.Gcs;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The multi-chunk resumable protocol, against an in-process fake because the Firebase emulator finalizes a session
/// on its first PUT: chunk Content-Range values, the total on the last chunk only, 308 handling, resuming after a
/// failed chunk from the persisted range, and cancelling the session when the source fails.
/// </summary>
public sealed class GcsResumableUploadTests
{
    private const int Chunk = GcsStoreOptions.ChunkGranularity;

    private static GcsStoreOptions Small(GcsStoreOptions o) => o with { ChunkSize = Chunk, SimpleUploadLimit = 64 << 10 };

    [Fact]
    public async Task A_stream_of_unknown_length_goes_in_full_chunks_and_the_last_one_carries_the_total()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = GcsObjectStoreTests.Store(fake, Small);
        var source = new GeneratedStream(3 * Chunk + 1000);
        Assert.Equal(3 * Chunk + 1000, await store.WriteAsync("big.parquet", source, default));

        Assert.Equal(["bytes 0-262143/*", "bytes 262144-524287/*", "bytes 524288-786431/*", "bytes 786432-787431/787432"], ChunkRanges(fake));
        Assert.Equal(source.Hash, Convert.ToHexString(SHA256.HashData(fake.Objects["tables/t1/big.parquet"])));
        var start = Assert.Single(fake.Requests, r => r.Method == "POST");
        Assert.Contains("uploadType=resumable&name=tables%2Ft1%2Fbig.parquet", start.PathAndQuery);
    }

    [Fact]
    public async Task A_stream_that_ends_on_a_chunk_boundary_finishes_with_a_full_chunk_carrying_the_total()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = GcsObjectStoreTests.Store(fake, Small);
        var source = new GeneratedStream(2 * Chunk);
        Assert.Equal(2 * Chunk, await store.WriteAsync("even.bin", source, default));
        Assert.Equal(["bytes 0-262143/*", "bytes 262144-524287/524288"], ChunkRanges(fake));
        Assert.Equal(source.Hash, Convert.ToHexString(SHA256.HashData(fake.Objects["tables/t1/even.bin"])));
    }

    [Fact]
    public async Task After_a_failed_chunk_the_upload_asks_the_session_and_resumes_from_the_persisted_byte()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        fake.FailChunkPut = 2;
        fake.PersistBeforeFailure = 100_000;
        using var store = GcsObjectStoreTests.Store(fake, Small);
        var source = new GeneratedStream(3 * Chunk + 1000);
        Assert.Equal(3 * Chunk + 1000, await store.WriteAsync("big.parquet", source, default));

        Assert.Equal(
            ["bytes 0-262143/*", "bytes 262144-524287/*", "bytes */*", "bytes 362144-624287/*", "bytes 624288-787431/787432"],
            fake.Requests.Where(r => r.Method == "PUT").Select(r => r.ContentRange));
        Assert.Equal(source.Hash, Convert.ToHexString(SHA256.HashData(fake.Objects["tables/t1/big.parquet"])));
    }

    [Fact]
    public async Task When_gcs_keeps_less_than_a_chunk_the_rest_is_sent_again()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        fake.PersistAtMost = 200_000;
        using var store = GcsObjectStoreTests.Store(fake, Small);
        var source = new GeneratedStream(2 * Chunk + 10);
        Assert.Equal(2 * Chunk + 10, await store.WriteAsync("big.parquet", source, default));

        Assert.Equal(["bytes 0-262143/*", "bytes 200000-462143/*", "bytes 400000-524297/524298"], ChunkRanges(fake));
        Assert.Equal(source.Hash, Convert.ToHexString(SHA256.HashData(fake.Objects["tables/t1/big.parquet"])));
    }

    [Fact]
    public async Task A_source_failing_mid_upload_cancels_the_session_and_publishes_nothing()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = GcsObjectStoreTests.Store(fake, Small);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("big.parquet", new GeneratedStream(4 * Chunk, failAfter: 2 * Chunk + 5), default));
        Assert.Empty(fake.Objects);
        Assert.Equal(1, fake.CancelledSessions);
        Assert.Equal(["bytes 0-262143/*", "bytes 262144-524287/*"], ChunkRanges(fake));
    }

    [Fact]
    public async Task A_chunk_that_keeps_failing_ends_in_a_clear_error_and_a_cancelled_session()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = GcsObjectStoreTests.Store(fake, o => Small(o) with { MaxAttempts = 1 });
        fake.FailChunkPut = 1;
        var e = await Assert.ThrowsAsync<GcsStoreException>(() => store.WriteAsync("big.parquet", new GeneratedStream(2 * Chunk), default));
        Assert.Contains("gs://bucket-1/tables/t1/big.parquet", e.Message);
        Assert.Contains("503", e.Message);
        Assert.DoesNotContain("upload_id", e.Message);
        Assert.Empty(fake.Objects);
        Assert.Equal(1, fake.CancelledSessions);
    }

    private static List<string?> ChunkRanges(FakeGcsServer fake) =>
        fake.Requests.Where(r => r.Method == "PUT").Select(r => r.ContentRange).ToList();
}
