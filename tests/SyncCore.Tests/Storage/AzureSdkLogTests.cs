using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Net;
using Azure.Core.Diagnostics;
using ReplicaSync.Storage;
using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// Invariant 6 for what the Azure SDK itself says: its EventSource log (requests, responses, retries, errors) is
/// listened to at Verbose, as an operator enabling Azure SDK logging would, while the store works against Azurite with an
/// account key and a SAS, and against a fake service with a bearer token; no key, SAS signature, token or copy source's
/// signature may appear in it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureSdkLogTests(AzuriteServer azurite, ITestOutputHelper output)
{
    private const string Token = "bearer-token-must-never-leak";
    private const string SourceSecret = "provider-signature-secret";

    [Fact]
    public async Task The_sdk_log_never_carries_the_key_the_sas_the_token_or_a_copy_sources_signature()
    {
        var events = new ConcurrentQueue<string>();
        using var listener = new AzureEventSourceListener(
            (e, message) => events.Enqueue($"{e.EventSource.Name} {e.EventName}: {message} {string.Join(' ', e.Payload ?? [])}"), EventLevel.Verbose);

        var container = await azurite.CreateContainerAsync();
        using var rest = azurite.Rest();
        var sas = rest.ServiceSas(container, null, "rcwdl", DateTimeOffset.UtcNow.AddHours(1));
        var credentials = new[] { ("key", AzureCredential.SharedKey(AzuriteServer.AccountKey)), ("sas", AzureCredential.Sas(sas)) };
        foreach (var (prefix, credential) in credentials)
        {
            var store = new AzureBlobStore(AzureTestStores.Options(azurite, container, prefix) with { Credential = credential, BlockSize = 1 << 20 });
            await ExerciseAsync(store);
        }

        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = request => Task.FromResult<HttpResponseMessage?>(AzureTraffic.Respond(HttpStatusCode.Forbidden, "AuthenticationFailed",
                $"Server failed to authenticate the request. Header was {request.Headers.Authorization}")),
        };
        using var http = new HttpClient(traffic);
        var bearer = new AzureBlobStore(new AzureStoreOptions
        {
            Account = "acct1", Container = "replicas", Credential = AzureCredential.Bearer(new FakeTokenCredential(Token)),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        }, http);
        await Assert.ThrowsAsync<AzureStoreException>(() => bearer.WriteAsync("a.json", new MemoryStream([1]), default));

        var log = events.ToArray();
        output.WriteLine($"{log.Length} SDK log events; the first: {log.FirstOrDefault()}");
        // The listener really heard the requests, including the copy that carried the source URL.
        Assert.Contains(log, e => e.Contains("comp=block", StringComparison.Ordinal));
        Assert.Contains(log, e => e.Contains("Authorization", StringComparison.OrdinalIgnoreCase));
        var signature = sas.Split("sig=")[1];
        foreach (var secret in new[] { AzuriteServer.AccountKey, signature, Uri.UnescapeDataString(signature), Token, SourceSecret })
            Assert.DoesNotContain(log, e => e.Contains(secret, StringComparison.Ordinal));
    }

    /// <summary>Every kind of request the store makes, a failing server-side copy and a missing blob included.</summary>
    private static async Task ExerciseAsync(AzureBlobStore store)
    {
        await store.WriteAsync("small.json", new MemoryStream("{}"u8.ToArray()), default);
        await store.WriteAsync("big.bin", new GeneratedStream((2 << 20) + 1), default);
        Assert.True(await store.PutIfAbsentAsync("_delta_log/0.json", "a"u8.ToArray(), default));
        Assert.False(await store.PutIfAbsentAsync("_delta_log/0.json", "b"u8.ToArray(), default));
        await using (var range = await store.OpenReadAsync("big.bin", new ByteRange(5, 10), default))
            await range.CopyToAsync(Stream.Null);
        Assert.Equal(3, (await ObjectStoreContract.KeysAsync(store)).Count);
        await store.DeleteAsync("small.json", default);
        Assert.Null(await store.StatAsync("small.json", default));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync("small.json", null, default));
        // Azurite answers 501 to Put Block From URL: the request, with the source URL in x-ms-copy-source, is still logged.
        var source = new Uri($"http://127.0.0.1:{FreePort.Next()}/data/part-0.parquet?X-Amz-Signature={SourceSecret}&X-Amz-Expires=900");
        await Assert.ThrowsAsync<NotSupportedException>(() => store.CopyFromUrlAsync("copy.bin", source, 100, default));
    }
}
