using System.Security.Cryptography;
using ReplicaSync.Storage.Gcs;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The Google client's multi-chunk resumable protocol as the GCS store drives it, against an in-process fake because
/// the Firebase emulator finalizes a session on its first PUT: which bodies go as one request and which in chunks,
/// chunk Content-Range values, the total on the last chunk only, resuming after a failed chunk from the persisted
/// range, and publishing nothing when the source or the service fails.
/// </summary>
public sealed class GcsResumableUploadTests
{
    private const int Chunk = GcsStoreOptions.ChunkGranularity;

    private static GcsStoreOptions Small(GcsStoreOptions o) => o with { ChunkSize = Chunk, SimpleUploadLimit = 64 << 10 };

    [Fact]
    public async Task A_body_below_the_simple_upload_limit_goes_in_one_request_of_known_length()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = GcsObjectStoreTests.Store(fake, Small);
        var source = new GeneratedStream((64 << 10) - 1);
        Assert.Equal((64 << 10) - 1, await store.WriteAsync("small.json", source, default));
        Assert.Equal(["bytes 0-65534/65535"], ChunkRanges(fake));
        Assert.Equal(source.Hash, Convert.ToHexString(SHA256.HashData(fake.Objects["tables/t1/small.json"])));
    }

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
        Assert.Contains("uploadType=resumable", start.PathAndQuery);
        // Only the last chunk carries the CRC32C of the whole object, which GCS checks before publishing it.
        Assert.Equal([null, null, null, "crc32c="], fake.Requests.Where(r => r.Method == "PUT").Select(r => r.Hash?[..7]));
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

    /// <summary>
    /// A chunk answered 503 after GCS kept part of it: the client asks the session (<c>bytes */*</c>) and resends from
    /// the persisted byte. The resend hits the same Google.Apis flaw as below, so the check is that nothing wrong lands.
    /// </summary>
    [Fact]
    public async Task After_a_failed_chunk_the_upload_asks_the_session_and_resumes_from_the_persisted_byte()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        fake.FailChunkPut = put => put == 2;
        fake.PersistBeforeFailure = 100_000;
        using var store = GcsObjectStoreTests.Store(fake, Small);
        var source = new GeneratedStream(3 * Chunk + 1000);
        await AssertSourceOrNothingAsync(fake, store, source, "big.parquet");

        Assert.Equal(["bytes 0-262143/*", "bytes 262144-524287/*", "bytes */*"], ChunkRanges(fake)[..3]);
        Assert.StartsWith("bytes 362144-", ChunkRanges(fake)[3]);
    }

    /// <summary>
    /// GCS may keep less of a chunk than it was sent. Google.Apis's resumable upload (1.76) then resends the rest
    /// from a non-seekable source with its first byte replaced by the byte it read ahead, so the resent chunk is
    /// wrong; the CRC32C the client computes from the source and sends with the last chunk makes GCS refuse the
    /// object. Whatever the library does, no wrong bytes are published: the object is the source's or absent.
    /// </summary>
    [Fact]
    public async Task When_gcs_keeps_less_than_a_chunk_the_rest_is_sent_again_and_never_lands_wrong()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        fake.PersistAtMost = 200_000;
        using var store = GcsObjectStoreTests.Store(fake, Small);
        await AssertSourceOrNothingAsync(fake, store, new GeneratedStream(2 * Chunk + 10), "big.parquet");
        Assert.Equal(["bytes 0-262143/*", "bytes 200000-462143/*", "bytes 400000-524297/524298"], ChunkRanges(fake));
    }

    [Fact]
    public async Task A_source_failing_mid_upload_publishes_nothing()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = GcsObjectStoreTests.Store(fake, Small);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("big.parquet", new GeneratedStream(4 * Chunk, failAfter: 2 * Chunk + 5), default));
        Assert.Empty(fake.Objects);
        Assert.Equal(["bytes 0-262143/*", "bytes 262144-524287/*"], ChunkRanges(fake));
    }

    [Fact]
    public async Task A_chunk_that_keeps_failing_ends_in_a_clear_error_and_publishes_nothing()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = GcsObjectStoreTests.Store(fake, Small);
        fake.UploadsUnavailable = true;
        var e = await Assert.ThrowsAsync<GcsStoreException>(() => store.WriteAsync("big.parquet", new GeneratedStream(2 * Chunk), default));
        Assert.Contains("gs://bucket-1/tables/t1/big.parquet", e.Message);
        Assert.Contains("503", e.Message);
        Assert.DoesNotContain("upload_id", e.Message);
        Assert.Empty(fake.Objects);
    }

    /// <summary>The write either publishes exactly the source's bytes or fails on GCS's CRC32C check, publishing nothing.</summary>
    private static async Task AssertSourceOrNothingAsync(FakeGcsServer fake, GcsObjectStore store, GeneratedStream source, string key)
    {
        try
        {
            await store.WriteAsync(key, source, default);
            Assert.Equal(source.Hash, Convert.ToHexString(SHA256.HashData(fake.Objects["tables/t1/" + key])));
        }
        catch (GcsStoreException e)
        {
            Assert.Contains("CRC32C", e.Message);
            Assert.Empty(fake.Objects);
        }
    }

    private static List<string?> ChunkRanges(FakeGcsServer fake) =>
        fake.Requests.Where(r => r.Method == "PUT").Select(r => r.ContentRange).ToList();
}
