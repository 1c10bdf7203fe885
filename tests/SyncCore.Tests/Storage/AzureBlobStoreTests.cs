using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using ReplicaSync.Storage;
using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;
using Xunit.Abstractions;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// What only the Azure backend has: block staging and per-block retry, multipart writes, server-side copy, SAS and
/// bearer auth, and errors without secrets. Most run against Azurite; where Azurite lacks a behaviour (Put Block From
/// URL answers 501; bearer tokens need https), the test records the requests the SDK sends through
/// <see cref="AzureTraffic"/> and answers them as Azure would.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests(AzuriteServer azurite, ITestOutputHelper output)
{
    private const string Token = "bearer-token-must-never-leak";
    private const string FakeAccount = "acct1";

    // ---- block staging ----

    [Fact]
    public async Task Large_writes_stage_blocks_a_few_in_parallel_and_small_ones_are_one_put_blob()
    {
        var container = await azurite.CreateContainerAsync();
        using var traffic = new AzureTraffic();
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, container), http);

        const int size = (40 << 20) + 123;
        using var source = new GeneratedStream(size);
        var clock = Stopwatch.StartNew();
        Assert.Equal(size, await store.WriteAsync("big.bin", source, default));
        output.WriteLine($"40 MiB block write to Azurite: {clock.ElapsedMilliseconds} ms, {traffic.PutBlocks.Count()} blocks, at most {traffic.MaxBlocksInFlight} in flight");

        // 8 MiB blocks: five full ones and the last 123 bytes, then one commit and no Put Blob.
        var blocks = traffic.PutBlocks.ToList();
        Assert.Equal((6, 1, 0), (blocks.Count, traffic.BlockLists.Count(), traffic.PutBlobs.Count()));
        Assert.InRange(traffic.MaxBlocksInFlight, 2, 4);
        Assert.Single(blocks.Select(b => b.BlockId.Length).Distinct());
        Assert.Equal(6, blocks.Select(b => b.BlockId).Distinct().Count());
        using var rest = azurite.Rest();
        Assert.Equal(source.Hash, Convert.ToHexString(SHA256.HashData((await rest.GetAsync(container, "big.bin"))!)));

        await store.WriteAsync("small.bin", new GeneratedStream((1 << 20) - 1), default);
        await store.WriteAsync("under-a-block.bin", new GeneratedStream((8 << 20) - 1), default);
        Assert.Equal((6, 1, 2), (traffic.PutBlocks.Count(), traffic.BlockLists.Count(), traffic.PutBlobs.Count()));
        Assert.Equal((8 << 20) - 1, (await store.StatAsync("under-a-block.bin", default))!.Size);
    }

    [Fact]
    public async Task A_failed_block_is_sent_again_on_its_own_and_the_blob_is_intact()
    {
        var container = await azurite.CreateContainerAsync();
        var failed = new HashSet<int>();
        using var traffic = new AzureTraffic
        {
            Answer = request =>
            {
                var sent = AzureTraffic.Sent.From(request);
                if (!sent.IsPutBlock)
                    return Task.FromResult<HttpResponseMessage?>(null);
                var index = AzureTraffic.BlockIndex(sent.BlockId);
                lock (failed)
                {
                    // Block 3 meets a busy server once, block 4 a dropped connection once.
                    if (index == 3 && failed.Add(3))
                        return Task.FromResult<HttpResponseMessage?>(AzureTraffic.Respond(HttpStatusCode.ServiceUnavailable, "ServerBusy"));
                    if (index == 4 && failed.Add(4))
                        throw new HttpRequestException("simulated connection reset");
                }
                return Task.FromResult<HttpResponseMessage?>(null);
            },
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, container) with { BlockSize = 1 << 20 }, http);

        using var source = new GeneratedStream((5 << 20) + 7);
        Assert.Equal((5 << 20) + 7, await store.WriteAsync("retried.bin", source, default));

        var sends = traffic.PutBlocks.GroupBy(b => AzureTraffic.BlockIndex(b.BlockId)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([1, 1, 1, 2, 2, 1], Enumerable.Range(0, 6).Select(i => sends[i]));
        Assert.Single(traffic.BlockLists);
        using var rest = azurite.Rest();
        Assert.Equal(source.Hash, Convert.ToHexString(SHA256.HashData((await rest.GetAsync(container, "retried.bin"))!)));
    }

    // ---- multipart writes ----

    [Fact]
    public async Task Parts_written_out_of_order_in_parallel_and_rewritten_commit_in_part_order()
    {
        var container = await azurite.CreateContainerAsync();
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, container, "p"));
        IMultipartWrites multipart = store;
        Assert.Equal((1L, 50_000), (multipart.MinPartSize, multipart.MaxParts));
        var data = RandomNumberGenerator.GetBytes((3 << 20) + 100);
        const int part = 1 << 20;

        await using (var write = await multipart.BeginAsync("multi/file.bin", data.Length, default))
        {
            // Part 1 first goes up with the wrong bytes; writing it again must replace it.
            await write.WritePartAsync(1, part, part, new MemoryStream(new byte[part]), default);
            await Task.WhenAll(Enumerable.Range(0, 4).Reverse().Select(i =>
                write.WritePartAsync(i, (long)i * part, Math.Min(part, data.Length - i * part), new MemoryStream(data, i * part, Math.Min(part, data.Length - i * part)), default)));

            Assert.Null(await store.StatAsync("multi/file.bin", default));
            using var rest = azurite.Rest();
            Assert.Equal(4, (await rest.UncommittedBlocksAsync(container, "p/multi/file.bin")).Count);
            await write.CompleteAsync(default);
        }

        using var check = azurite.Rest();
        Assert.Equal(data, await check.GetAsync(container, "p/multi/file.bin"));
        Assert.Empty(await check.UncommittedBlocksAsync(container, "p/multi/file.bin"));
    }

    [Fact]
    public async Task An_abandoned_multipart_write_leaves_only_uncommitted_blocks_and_the_old_blob_intact()
    {
        var container = await azurite.CreateContainerAsync();
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, container));
        await store.WriteAsync("kept", new MemoryStream("old"u8.ToArray()), default);

        await using (var write = await store.BeginAsync("kept", 2 << 20, default))
            await write.WritePartAsync(0, 0, 1 << 20, new MemoryStream(new byte[1 << 20]), default);
        await using (var write = await store.BeginAsync("never-completed", 2 << 20, default))
            await write.WritePartAsync(0, 0, 1 << 20, new MemoryStream(new byte[1 << 20]), default);

        // Azure has no call to drop staged blocks: they stay uncommitted, invisible to reads and listings, until the
        // blob's next commit discards them or Azure garbage-collects them after 7 days.
        using var rest = azurite.Rest();
        Assert.Single(await rest.UncommittedBlocksAsync(container, "kept"));
        Assert.Equal("old"u8.ToArray(), await rest.GetAsync(container, "kept"));
        Assert.Null(await store.StatAsync("never-completed", default));
        Assert.Equal(["kept"], await ObjectStoreContract.KeysAsync(store));
        Assert.Equal(["kept"], (await rest.ListAsync(container)).Keys);
    }

    [Fact]
    public async Task A_multipart_write_with_a_gap_or_a_short_part_publishes_nothing()
    {
        var container = await azurite.CreateContainerAsync();
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, container));
        await using var write = await store.BeginAsync("gappy", (2 << 20) + 1, default);
        await write.WritePartAsync(0, 0, 1 << 20, new MemoryStream(new byte[1 << 20]), default);
        await write.WritePartAsync(2, 2 << 20, 1, new MemoryStream([9]), default);
        var gap = await Assert.ThrowsAsync<InvalidOperationException>(() => write.CompleteAsync(default));
        Assert.Contains("part 1", gap.Message);
        var shortPart = await Assert.ThrowsAnyAsync<Exception>(() => write.WritePartAsync(1, 1 << 20, 1 << 20, new MemoryStream(new byte[10]), default));
        Assert.Contains("short", shortPart.ToString());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => write.WritePartAsync(1, 1 << 20, (2 << 20) + 5, new MemoryStream(), default));
        Assert.Null(await store.StatAsync("gappy", default));
    }

    // ---- server-side copy ----

    [Fact]
    public async Task Azurite_lacks_put_block_from_url_so_the_copy_says_not_supported_once_and_callers_stream()
    {
        var container = await azurite.CreateContainerAsync();
        using var rest = azurite.Rest();
        await rest.PutAsync(container, "source.bin", RandomNumberGenerator.GetBytes(3000));
        // A URL served on 127.0.0.1 that Azurite itself can read: the source blob with a read SAS.
        var sas = rest.ServiceSas(container, "source.bin", "r", DateTimeOffset.UtcNow.AddHours(1));
        var source = new Uri($"{azurite.ServiceUrl}/{container}/source.bin?{sas}");
        using (var anonymous = new HttpClient())
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(source)).StatusCode);

        using var traffic = new AzureTraffic();
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, container), http);
        var first = await Assert.ThrowsAsync<NotSupportedException>(() => store.CopyFromUrlAsync("copy.bin", source, 3000, default));
        var second = await Assert.ThrowsAsync<NotSupportedException>(() => store.CopyFromUrlAsync("copy2.bin", source, 3000, default));
        output.WriteLine(first.Message);

        Assert.Single(traffic.BlockCopies); // Azurite 3.35.0: 501 APINotImplemented; asked once, then known
        Assert.Contains("Put Block From URL", second.Message);
        Assert.DoesNotContain("sig=", first.Message + second.Message);
        Assert.Null(await store.StatAsync("copy.bin", default));
    }

    [Fact]
    public async Task A_server_side_copy_stages_url_ranges_as_blocks_checks_their_sizes_then_commits_them_in_order()
    {
        var staged = new Dictionary<string, long>();
        string? committed = null;
        using var rest = new AzureRest($"https://{FakeAccount}.blob.core.windows.net", FakeAccount, AzuriteServer.AccountKey);
        var signatures = new List<bool>();
        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = async request =>
            {
                lock (signatures)
                    signatures.Add(request.Headers.Authorization?.ToString() == $"SharedKey {FakeAccount}:{rest.Signature(request)}");
                var sent = AzureTraffic.Sent.From(request);
                if (sent.IsPutBlock)
                {
                    // As Azure: the source range decides the block's size.
                    var range = sent.Header("x-ms-source-range")!["bytes=".Length..].Split('-').Select(long.Parse).ToArray();
                    lock (staged)
                        staged[sent.BlockId] = range[1] - range[0] + 1;
                    return AzureTraffic.Respond(HttpStatusCode.Created);
                }
                if (request.Method == HttpMethod.Get && sent.Uri.Query.Contains("comp=blocklist", StringComparison.Ordinal))
                    return AzureTraffic.Respond(HttpStatusCode.OK, body: BlockListXml(staged));
                if (request.Method == HttpMethod.Put && sent.Uri.Query.Contains("comp=blocklist", StringComparison.Ordinal))
                {
                    committed = await request.Content!.ReadAsStringAsync();
                    return AzureTraffic.Respond(HttpStatusCode.Created);
                }
                return null;
            },
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(FakeOptions(AzureCredential.SharedKey(AzuriteServer.AccountKey)) with { CopyBlockSize = 1 << 20, MaxParallelBlocks = 2 }, http);
        var source = new Uri("https://provider.example/data/part-0.parquet?X-Amz-Signature=secret123&X-Amz-Expires=900");

        Assert.Equal((5 << 19) + 0L, await store.CopyFromUrlAsync("t/part-0.parquet", source, 5 << 19, default));

        var copies = traffic.BlockCopies.OrderBy(b => AzureTraffic.BlockIndex(b.BlockId)).ToList();
        Assert.Equal(["bytes=0-1048575", "bytes=1048576-2097151", "bytes=2097152-2621439"], copies.Select(c => c.Header("x-ms-source-range")));
        Assert.All(copies, c =>
        {
            Assert.Equal(source.AbsoluteUri, c.Header("x-ms-copy-source"));
            Assert.Equal(AzureBlobStore.ApiVersion, c.Header("x-ms-version"));
            // No body: the SDK sets no content, and HttpClient sends Content-Length: 0 for such a PUT.
            Assert.True(c.Header("Content-Length") is null or "0");
            Assert.Equal($"https://{FakeAccount}.blob.core.windows.net/replicas/t/part-0.parquet", c.Uri.GetLeftPart(UriPartial.Path));
        });
        Assert.All(signatures, Assert.True);
        var order = XDocument.Parse(committed!).Root!.Elements("Latest").Select(e => AzureTraffic.BlockIndex(e.Value));
        Assert.Equal([0, 1, 2], order);
        Assert.Equal(copies.Select(c => c.BlockId), XDocument.Parse(committed!).Root!.Elements("Latest").Select(e => e.Value));
    }

    [Fact]
    public async Task A_server_side_copy_that_staged_too_few_bytes_is_not_committed()
    {
        string? blockId = null;
        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = request =>
            {
                var sent = AzureTraffic.Sent.From(request);
                if (sent.IsPutBlock)
                {
                    blockId = sent.BlockId;
                    return Task.FromResult<HttpResponseMessage?>(AzureTraffic.Respond(HttpStatusCode.Created));
                }
                // The source turned out shorter than announced: the one block holds 10 bytes, not 100.
                return Task.FromResult<HttpResponseMessage?>(request.Method == HttpMethod.Get
                    ? AzureTraffic.Respond(HttpStatusCode.OK, body: BlockListXml(new Dictionary<string, long> { [blockId!] = 10 }))
                    : AzureTraffic.Respond(HttpStatusCode.Created));
            },
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(FakeOptions(AzureCredential.SharedKey(AzuriteServer.AccountKey)), http);
        var e = await Assert.ThrowsAsync<IOException>(() => store.CopyFromUrlAsync("f", new Uri("https://provider.example/f"), 100, default));
        Assert.Contains("staged 10 bytes, but the source should have 100", e.Message);
        Assert.Empty(traffic.BlockLists);
    }

    [Fact]
    public async Task A_source_azure_cannot_read_makes_the_copy_not_supported_so_callers_stream_and_no_signature_leaks()
    {
        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = _ =>
            {
                var response = AzureTraffic.Respond(HttpStatusCode.Conflict, "CannotVerifyCopySource",
                    "Server failed to authorize https://provider.example/f?X-Amz-Signature=secret123");
                response.Headers.TryAddWithoutValidation("x-ms-copy-source-status-code", "403");
                return Task.FromResult<HttpResponseMessage?>(response);
            },
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(FakeOptions(AzureCredential.SharedKey(AzuriteServer.AccountKey)), http);
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => store.CopyFromUrlAsync("f", new Uri("https://provider.example/f?X-Amz-Signature=secret123"), 100, default));
        Assert.Contains("source status 403", e.Message);
        Assert.DoesNotContain("secret123", e.ToString());
    }

    // ---- credentials ----

    [Fact]
    public async Task A_sas_token_authorizes_every_operation_and_a_tampered_one_fails_clearly()
    {
        var container = await azurite.CreateContainerAsync();
        using var rest = azurite.Rest();
        var sas = rest.ServiceSas(container, null, "rcwdl", DateTimeOffset.UtcNow.AddHours(1));
        using var traffic = new AzureTraffic();
        using var http = new HttpClient(traffic);
        var options = AzureTestStores.Options(azurite, container, "sas") with { Credential = AzureCredential.Sas("?" + sas), BlockSize = 1 << 20 };
        var store = new AzureBlobStore(options, http);

        await store.WriteAsync("small.json", new MemoryStream("{}"u8.ToArray()), default);
        using var source = new GeneratedStream((3 << 20) + 1);
        await store.WriteAsync("big.bin", source, default);
        Assert.True(await store.PutIfAbsentAsync("_delta_log/0.json", "a"u8.ToArray(), default));
        Assert.False(await store.PutIfAbsentAsync("_delta_log/0.json", "b"u8.ToArray(), default));
        Assert.Equal((3 << 20) + 1, (await store.StatAsync("big.bin", default))!.Size);
        await using (var range = await store.OpenReadAsync("small.json", new ByteRange(1, 1), default))
            Assert.Equal("}", await new StreamReader(range).ReadToEndAsync());
        Assert.Equal(["_delta_log/0.json", "big.bin", "small.json"], await ObjectStoreContract.KeysAsync(store));
        await store.DeleteAsync("small.json", default);
        Assert.Null(await store.StatAsync("small.json", default));
        Assert.All(traffic.Requests, r =>
        {
            Assert.False(r.Headers.ContainsKey("Authorization"));
            Assert.Contains("&sig=", r.Uri.Query);
        });

        var signature = Uri.UnescapeDataString(sas.Split("sig=")[1]);
        var tampered = sas.Replace(sas.Split("sig=")[1], Uri.EscapeDataString(Convert.ToBase64String(new byte[32])));
        var bad = new AzureBlobStore(options with { Credential = AzureCredential.Sas(tampered) });
        var e = await Assert.ThrowsAsync<AzureStoreException>(() => bad.WriteAsync("x", new MemoryStream([1]), default));
        output.WriteLine(e.Message);
        Assert.Contains($"authentication failed for account {AzuriteServer.Account}", e.Message);
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
        Assert.DoesNotContain(signature, e.ToString());
        Assert.DoesNotContain(sas.Split("sig=")[1], e.ToString());
    }

    [Fact]
    public async Task Bearer_tokens_for_azure_storage_go_in_the_authorization_header_and_are_fetched_once()
    {
        // Azurite accepts bearer tokens only over https with --oauth; this checks the requests we send instead.
        var tokens = new FakeTokenCredential(Token);
        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = request => Task.FromResult<HttpResponseMessage?>(request.Method == HttpMethod.Head
                ? AzureTraffic.Respond(HttpStatusCode.OK, contentLength: 5)
                : request.Method == HttpMethod.Get
                    ? AzureTraffic.Respond(HttpStatusCode.OK, body: "<?xml version=\"1.0\"?><EnumerationResults><Blobs/><NextMarker/></EnumerationResults>")
                    : AzureTraffic.Respond(HttpStatusCode.Created)),
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(FakeOptions(AzureCredential.Bearer(tokens)), http);

        await store.WriteAsync("a.json", new MemoryStream([1, 2]), default);
        Assert.True(await store.PutIfAbsentAsync("b.json", new byte[] { 1 }, default));
        Assert.Equal(5, (await store.StatAsync("a.json", default))!.Size);
        Assert.Empty(await ObjectStoreContract.KeysAsync(store));

        Assert.Equal(4, traffic.Requests.Count);
        Assert.All(traffic.Requests, r =>
        {
            Assert.Equal("Bearer " + Token, r.Header("Authorization"));
            Assert.Equal(AzureBlobStore.ApiVersion, r.Header("x-ms-version")); // bearer auth needs 2017-11-09 or later
            Assert.Equal(Uri.UriSchemeHttps, r.Uri.Scheme);
        });
        Assert.Equal((1, "https://storage.azure.com/.default"), (tokens.Requests, Assert.Single(tokens.LastScopes)));

        // A rejected token: a clear error naming the account, and the token masked even where the server echoes it.
        traffic.Answer = _ => Task.FromResult<HttpResponseMessage?>(AzureTraffic.Respond(HttpStatusCode.Forbidden, "AuthenticationFailed",
            $"Server failed to authenticate the request. Header was Bearer {Token}"));
        var e = await Assert.ThrowsAsync<AzureStoreException>(() => store.WriteAsync("c.json", new MemoryStream([1]), default));
        output.WriteLine(e.Message);
        Assert.Contains($"authentication failed for account {FakeAccount}", e.Message);
        Assert.DoesNotContain(Token, e.ToString());
    }

    [Fact]
    public async Task A_credential_that_cannot_get_a_token_fails_naming_the_account_and_the_alternatives()
    {
        using var traffic = new AzureTraffic(forward: false);
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(FakeOptions(AzureCredential.Bearer(new FailingTokenCredential())), http);
        var e = await Assert.ThrowsAsync<AzureStoreException>(() => store.StatAsync("a", default));
        output.WriteLine(e.Message);
        Assert.Contains($"no Entra ID token for account {FakeAccount}", e.Message);
        Assert.Contains(AzureAddress.AccountKeyVariable, e.Message);
        Assert.Contains("no credential here", e.Message);
        Assert.Empty(traffic.Requests);
    }

    [Fact]
    public async Task Errors_never_carry_the_key_sas_or_token_even_when_the_server_echoes_them()
    {
        var sas = "sv=2022-11-02&sr=c&sp=rl&se=2030-01-01T00%3A00%3A00Z&sig=U0FTLXNpZ25hdHVyZS1zZWNyZXQ%3D";
        var credentials = new (AzureCredential Credential, string[] Secrets)[]
        {
            (AzureCredential.SharedKey(AzuriteServer.AccountKey), [AzuriteServer.AccountKey]),
            (AzureCredential.Sas(sas), ["U0FTLXNpZ25hdHVyZS1zZWNyZXQ", "sig=U0FT"]),
            (AzureCredential.Bearer(new FakeTokenCredential(Token)), [Token]),
        };
        foreach (var (credential, secrets) in credentials)
        {
            using var traffic = new AzureTraffic(forward: false)
            {
                Answer = request => Task.FromResult<HttpResponseMessage?>(AzureTraffic.Respond(HttpStatusCode.BadRequest, "InvalidHeaderValue",
                    $"Bad request {request.RequestUri} with {request.Headers.Authorization} and key {AzuriteServer.AccountKey} sig={Token}")),
            };
            using var http = new HttpClient(traffic);
            var store = new AzureBlobStore(FakeOptions(credential), http);
            var errors = new List<Exception>
            {
                await Assert.ThrowsAsync<AzureStoreException>(() => store.WriteAsync("a", new MemoryStream([1]), default)),
                await Assert.ThrowsAsync<AzureStoreException>(() => store.OpenReadAsync("a", null, default)),
                await Assert.ThrowsAsync<AzureStoreException>(async () => await ObjectStoreContract.KeysAsync(store)),
            };
            foreach (var error in errors)
            {
                Assert.Contains("400 InvalidHeaderValue", error.Message);
                foreach (var secret in secrets)
                    Assert.DoesNotContain(secret, error.ToString());
            }
        }

        // Nothing answers at all: the network error names the operation, and the SAS in the URL stays out.
        var closed = new AzureBlobStore(FakeOptions(AzureCredential.Sas(sas)) with { Endpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}"), MaxAttempts = 2 });
        var refused = await Assert.ThrowsAsync<AzureStoreException>(() => closed.StatAsync("a", default));
        output.WriteLine(refused.Message);
        Assert.Contains("Get Blob Properties of replicas/a", refused.Message);
        Assert.DoesNotContain("U0FT", refused.ToString());
    }

    [Fact]
    public async Task A_missing_container_is_an_error_naming_it_not_a_missing_object()
    {
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, "no-such-container-here", "p"));
        var write = await Assert.ThrowsAsync<AzureStoreException>(() => store.WriteAsync("a.json", new MemoryStream([1]), default));
        Assert.Contains("Put Blob of no-such-container-here/p/a.json failed (the container does not exist): 404 ContainerNotFound", write.Message);
        Assert.Equal("ContainerNotFound", write.ErrorCode);
        await Assert.ThrowsAsync<AzureStoreException>(() => store.StatAsync("a.json", default));
        await Assert.ThrowsAsync<AzureStoreException>(() => store.OpenReadAsync("a.json", null, default));
        await Assert.ThrowsAsync<AzureStoreException>(() => store.DeleteAsync("a.json", default));
        var list = await Assert.ThrowsAsync<AzureStoreException>(async () => await ObjectStoreContract.KeysAsync(store));
        Assert.Contains("List Blobs of no-such-container-here/p/*", list.Message);
    }

    // ---- keys, listing, conditional writes ----

    [Fact]
    public async Task Keys_with_reserved_characters_address_exactly_the_blob_they_name()
    {
        var container = await azurite.CreateContainerAsync();
        var store = new AzureBlobStore(AzureTestStores.Options(azurite, container, "t"));
        string[] keys = ["x=1/a b.parquet", "p=50%25/c+d.json", "q=a?b#c/ü.json", "s;c,&=$@!'()/e.bin", "~tilde/%41.bin"];
        foreach (var key in keys)
            await store.WriteAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(key)), default);

        Assert.Equal(keys.Order(StringComparer.Ordinal), await ObjectStoreContract.KeysAsync(store));
        using var rest = azurite.Rest();
        Assert.Equal(keys.Select(k => "t/" + k).Order(StringComparer.Ordinal), (await rest.ListAsync(container)).Keys.Order(StringComparer.Ordinal));
        foreach (var key in keys)
        {
            await using var stream = await store.OpenReadAsync(key, null, default);
            Assert.Equal(key, await new StreamReader(stream).ReadToEndAsync());
        }
        Assert.Equal(["p=50%25/c+d.json"], await ObjectStoreContract.KeysAsync(store, "p=50%"));
    }

    [Fact]
    public async Task Put_if_absent_is_retried_only_when_azure_certainly_did_not_apply_it()
    {
        var answers = new Queue<HttpResponseMessage>();
        using var traffic = new AzureTraffic(forward: false) { Answer = _ => Task.FromResult<HttpResponseMessage?>(answers.Dequeue()) };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(FakeOptions(AzureCredential.SharedKey(AzuriteServer.AccountKey)), http);

        answers.Enqueue(AzureTraffic.Respond(HttpStatusCode.ServiceUnavailable, "ServerBusy"));
        answers.Enqueue(AzureTraffic.Respond(HttpStatusCode.Created));
        Assert.True(await store.PutIfAbsentAsync("c.json", new byte[] { 1 }, default));
        Assert.Equal(2, traffic.Requests.Count);
        Assert.All(traffic.Requests, r => Assert.Equal("*", r.Header("If-None-Match")));

        answers.Enqueue(AzureTraffic.Respond(HttpStatusCode.InternalServerError, "InternalError"));
        var ambiguous = await Assert.ThrowsAsync<AzureStoreException>(() => store.PutIfAbsentAsync("c.json", new byte[] { 1 }, default));
        Assert.Equal(3, traffic.Requests.Count);
        Assert.Contains("conditional Put Blob of replicas/c.json failed: 500 InternalError", ambiguous.Message);

        answers.Enqueue(AzureTraffic.Respond(HttpStatusCode.Conflict, "BlobAlreadyExists"));
        Assert.False(await store.PutIfAbsentAsync("c.json", new byte[] { 1 }, default));
        answers.Enqueue(AzureTraffic.Respond(HttpStatusCode.PreconditionFailed, "ConditionNotMet"));
        Assert.False(await store.PutIfAbsentAsync("c.json", new byte[] { 1 }, default));
        answers.Enqueue(AzureTraffic.Respond(HttpStatusCode.Conflict, "LeaseIdMissing"));
        await Assert.ThrowsAsync<AzureStoreException>(() => store.PutIfAbsentAsync("c.json", new byte[] { 1 }, default));
    }

    [Fact]
    public async Task Adls_gen2_directory_markers_are_not_objects_and_listing_follows_the_marker()
    {
        // What a hierarchical-namespace account answers (Azurite has no HNS): directories are blobs carrying
        // hdi_isfolder metadata (and a ResourceType, which the SDK does not surface), and names XML cannot carry come
        // percent-encoded.
        using var traffic = new AzureTraffic(forward: false)
        {
            Answer = request =>
            {
                if (request.Method == HttpMethod.Head)
                {
                    var folder = AzureTraffic.Respond(HttpStatusCode.OK, contentLength: 0);
                    folder.Headers.TryAddWithoutValidation("x-ms-meta-hdi_isfolder", "true");
                    return Task.FromResult<HttpResponseMessage?>(folder);
                }
                var second = request.RequestUri!.Query.Contains("marker=page2", StringComparison.Ordinal);
                var body = second
                    ? ListXml("", Blob("t/b/z.json", 4))
                    : ListXml("page2",
                        Blob("t/a", 0, "<ResourceType>directory</ResourceType>", "<hdi_isfolder>true</hdi_isfolder>"),
                        Blob("t/a/x.parquet", 10),
                        Blob("t/b", 0, metadata: "<hdi_isfolder>true</hdi_isfolder>"),
                        "<Blob><Name Encoded=\"true\">t/b/%EF%BF%BE.json</Name><Properties><Last-Modified>Sun, 22 Nov 2026 03:02:09 GMT</Last-Modified><Content-Length>3</Content-Length></Properties></Blob>");
                return Task.FromResult<HttpResponseMessage?>(AzureTraffic.Respond(HttpStatusCode.OK, body: body));
            },
        };
        using var http = new HttpClient(traffic);
        var store = new AzureBlobStore(FakeOptions(AzureCredential.SharedKey(AzuriteServer.AccountKey)) with { Prefix = "t" }, http);

        var listed = new List<ObjectInfo>();
        await foreach (var info in store.ListAsync("", default))
            listed.Add(info);
        Assert.Equal(["a/x.parquet", "b/\uFFFE.json", "b/z.json"], listed.Select(i => i.Path));
        Assert.Equal([10L, 3L, 4L], listed.Select(i => i.Size));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 2, 9, TimeSpan.Zero), listed[0].LastModified);
        var lists = traffic.Requests.Select(r => r.Uri.Query).ToList();
        Assert.All(lists, q => Assert.Contains("&prefix=t%2F", q));
        Assert.DoesNotContain("marker=", lists[0]);
        Assert.Contains("marker=page2", lists[1]);

        Assert.Null(await store.StatAsync("a", default));
    }

    /// <summary>What DefaultAzureCredential throws when no source of identity is available.</summary>
    private sealed class FailingTokenCredential : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new Azure.Identity.CredentialUnavailableException("DefaultAzureCredential failed: no credential here");

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new Azure.Identity.CredentialUnavailableException("DefaultAzureCredential failed: no credential here");
    }

    private static AzureStoreOptions FakeOptions(AzureCredential credential) => new()
    {
        Account = FakeAccount, Container = "replicas", Credential = credential, RetryBaseDelay = TimeSpan.FromMilliseconds(1),
    };

    private static string BlockListXml(Dictionary<string, long> blocks) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><CommittedBlocks/><UncommittedBlocks>" +
        string.Concat(blocks.Select(b => $"<Block><Name>{b.Key}</Name><Size>{b.Value}</Size></Block>")) +
        "</UncommittedBlocks></BlockList>";

    private static string ListXml(string nextMarker, params string[] blobs) =>
        $"<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ContainerName=\"replicas\"><Blobs>{string.Concat(blobs)}</Blobs><NextMarker>{nextMarker}</NextMarker></EnumerationResults>";

    private static string Blob(string name, long size, string properties = "", string metadata = "") =>
        $"<Blob><Name>{name}</Name><Properties><Last-Modified>Sun, 22 Nov 2026 03:02:09 GMT</Last-Modified><Content-Length>{size}</Content-Length>{properties}</Properties><Metadata>{metadata}</Metadata></Blob>";
}
