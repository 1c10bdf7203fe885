using System.Net;
using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// How the SDK's retries are bounded and narrowed per request (<c>AzureRetryPolicy</c>), on the requests the SDK sends,
/// answered by a fake service through <see cref="AzureTraffic"/>: Azurite cannot be made to fail on demand.
/// </summary>
public sealed class AzureRetryTests
{
    [Fact]
    public async Task Max_attempts_bounds_the_sdks_retries_and_the_last_answer_is_reported()
    {
        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = _ => Task.FromResult<HttpResponseMessage?>(AzureTraffic.Respond(HttpStatusCode.ServiceUnavailable, "ServerBusy")),
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(Options() with { MaxAttempts = 3 }, http);

        var e = await Assert.ThrowsAsync<AzureStoreException>(() => store.StatAsync("a.json", default));

        Assert.Equal(3, traffic.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.Status);
        Assert.Contains("Get Blob Properties of replicas/a.json failed: 503 ServerBusy", e.Message);
    }

    [Fact]
    public async Task An_error_answer_whose_body_cannot_be_read_fails_naming_the_request_not_the_xml_parser()
    {
        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = _ =>
            {
                // An XML error body cut off after its first element: the SDK's parser throws while building its exception.
                var response = AzureTraffic.Respond(HttpStatusCode.ServiceUnavailable, "ServerBusy",
                    body: "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Co");
                response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
                return Task.FromResult<HttpResponseMessage?>(response);
            },
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(Options() with { MaxAttempts = 1 }, http);

        var e = await Assert.ThrowsAsync<AzureStoreException>(() => store.StatAsync("a.json", default));

        Assert.Contains("Get Blob Properties of replicas/a.json failed: the store's error answer could not be read", e.Message);
    }

    [Fact]
    public async Task A_part_streamed_from_the_caller_is_sent_once_and_the_caller_can_write_it_again()
    {
        var busy = 1;
        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = _ => Task.FromResult<HttpResponseMessage?>(Interlocked.Exchange(ref busy, 0) == 1
                ? AzureTraffic.Respond(HttpStatusCode.ServiceUnavailable, "ServerBusy")
                : AzureTraffic.Respond(HttpStatusCode.Created)),
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(Options(), http);
        var data = new byte[1000];
        await using var write = await store.BeginAsync("part.bin", data.Length, default);

        // The stream is consumed by the first send, so the SDK must not retry it; the caller's part-level retry can.
        var e = await Assert.ThrowsAsync<AzureStoreException>(() => write.WritePartAsync(0, 0, data.Length, new NonSeekable(data), default));
        Assert.Contains("Put Block of replicas/part.bin failed: 503 ServerBusy", e.Message);
        Assert.Single(traffic.PutBlocks);
        await write.WritePartAsync(0, 0, data.Length, new NonSeekable(data), default);
        await write.CompleteAsync(default);

        var blocks = traffic.PutBlocks.ToList();
        Assert.Equal(2, blocks.Count);
        Assert.Equal(blocks[0].BlockId, blocks[1].BlockId);
        Assert.All(blocks, b => Assert.Equal("1000", b.Header("Content-Length")));
        Assert.Single(traffic.BlockLists);
    }

    private static AzureStoreOptions Options() => new()
    {
        Account = "acct1", Container = "replicas", Credential = AzureCredential.SharedKey(AzuriteServer.AccountKey),
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
    };

    /// <summary>A network body as the copier hands it over: readable once, no seeking.</summary>
    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
