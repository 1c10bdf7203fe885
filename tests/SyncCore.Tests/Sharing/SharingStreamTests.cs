using ReplicaSync.Sharing;
using static ReplicaSync.Tests.Sharing.ScriptedSharingServer;
using static ReplicaSync.Tests.Sharing.SharingQueryTests;
using static ReplicaSync.Tests.Sharing.SharingTestData;

namespace ReplicaSync.Tests.Sharing;

public sealed class SharingStreamTests
{
    private static string ParquetFile(string id) => "{\"file\":{\"url\":\"" + Url(id) + "\",\"id\":\"" + id + "\",\"partitionValues\":{},\"size\":10}}";

    [Fact]
    public async Task Lines_AreYieldedBeforeTheBodyEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Streamed(5, DeltaCaps, async (write, _) =>
        {
            await write(DeltaProtocol);
            await write(DeltaMetadata);
            // Hold the rest of the body until the test has read the first two lines; a buffering client never gets there.
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await write(EndStream());
        }));
        using var client = server.Client();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        await using var result = await client.QueryAsync(Table, new QueryRequest(), ct: timeout.Token);
        await using var lines = result.Lines.GetAsyncEnumerator(timeout.Token);
        Assert.True(await lines.MoveNextAsync());
        Assert.IsType<ProtocolLine>(lines.Current);
        Assert.True(await lines.MoveNextAsync());
        Assert.IsType<MetadataLine>(lines.Current);
        Assert.False(release.Task.IsCompleted);
        release.SetResult();
        Assert.True(await lines.MoveNextAsync());
        Assert.IsType<EndStreamLine>(lines.Current);
        Assert.False(await lines.MoveNextAsync());
    }

    [Fact]
    public async Task MalformedLine_FailsWithItsLineNumber_WithoutQuotingTheUrl()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, ParquetCaps, ParquetProtocol, ParquetMetadata, ParquetFile("a"),
            Signed("""{"file":{"url":"URL(b)","id":"b","""), EndStream()));
        using var client = server.Client();
        await using var result = await client.QueryAsync(Table, new QueryRequest(), ResponseFormat.Parquet);
        var seen = new List<SharingLine>();

        var e = await AssertFailsAsync<SharingProtocolException>(async () =>
        {
            await foreach (var line in result.Lines)
                seen.Add(line);
        });

        Assert.Equal(4, e.LineNumber);
        Assert.Contains("line 4", e.Message);
        Assert.Contains("malformed JSON", e.Message);
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public async Task BlankLines_AreIgnored_ButCountTowardsLineNumbers()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, ParquetCaps, ParquetProtocol, "", ParquetMetadata, "  ", "[1]"));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => QueryAllAsync(client, format: ResponseFormat.Parquet));

        Assert.Equal(5, e.LineNumber);
        Assert.Contains("JSON object", e.Message);
    }

    [Theory]
    [InlineData(0, "expected a protocol line, got metaData", 1)]
    [InlineData(1, "expected a metaData line, got a file line (add)", 2)]
    public async Task LinesOutOfOrder_AreProtocolErrors(int variant, string reason, long lineNumber)
    {
        string[] lines = variant == 0
            ? [ParquetMetadata, ParquetProtocol, EndStream()]
            : [ParquetProtocol, ParquetFile("a"), ParquetMetadata, EndStream()];
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, ParquetCaps, lines));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => QueryAllAsync(client, format: ResponseFormat.Parquet));

        Assert.Equal(lineNumber, e.LineNumber);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("""{"queryStatus":{"queryId":"q","status":"pending"}}""", "unknown line type 'queryStatus'")]
    [InlineData("""{"add":{"url":"u","id":"i","version":1,"timestamp":1}}""", "unknown line type 'add'")]
    [InlineData("""{"file":{"id":"x"},"remove":{}}""", "exactly one wrapper key, found 2")]
    [InlineData("""{}""", "exactly one wrapper key, found 0")]
    [InlineData("""{"file":[]}""", "must be an object")]
    [InlineData("""{"file":{"id":"x","deltaSingleAction":{"metaData":{}}}}""", "add, remove or cdc")]
    [InlineData("""{"file":{"id":"x","deltaSingleAction":{"add":{"path":"p","size":"big"}}}}""", "invalid Delta action")]
    public async Task UnexpectedDeltaLines_AreRejected_WithKeyAndLine(string line, string reason)
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, DeltaCaps, DeltaProtocol, DeltaMetadata, line, EndStream()));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => QueryAllAsync(client));

        Assert.Equal(3, e.LineNumber);
        Assert.Contains("line 3", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public async Task DeltaProtocolLine_WithoutDeltaProtocol_IsRejected()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, DeltaCaps, ParquetProtocol, DeltaMetadata, EndStream()));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => QueryAllAsync(client));

        Assert.Equal(1, e.LineNumber);
        Assert.Contains("'deltaProtocol'", e.Message);
    }

    [Fact]
    public async Task EndStreamErrorMessage_FailsTheRead_AfterTheEarlierLines()
    {
        var failure = Signed("""{"endStreamAction":{"errorMessage":"storage went away reading URL(z)"}}""");
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, DeltaCaps, DeltaProtocol, DeltaMetadata, DeltaProtocol, failure));
        using var client = server.Client();
        await using var result = await client.QueryAsync(Table, new QueryRequest());
        var seen = 0;

        var e = await AssertFailsAsync<SharingException>(async () =>
        {
            await foreach (var _ in result.Lines)
                seen++;
        });

        Assert.Equal(3, seen);
        Assert.Contains("storage went away", e.Message);
        Assert.Contains("line 4", e.Message);
    }

    [Fact]
    public async Task EndStreamErrorMessage_WithStatus_IsAnHttpError()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, DeltaCaps, DeltaProtocol, DeltaMetadata,
            """{"endStreamAction":{"errorMessage":"too many files","httpStatusErrorCode":400}}"""));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingHttpException>(() => QueryAllAsync(client));

        Assert.Equal(400, e.StatusCode);
        Assert.Equal("too many files", e.ServerMessage);
    }

    [Fact]
    public async Task LineAfterEndStream_IsAProtocolError()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, DeltaCaps, DeltaProtocol, DeltaMetadata, EndStream(), DeltaProtocol));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => QueryAllAsync(client));

        Assert.Equal(4, e.LineNumber);
    }

    [Fact]
    public async Task ConnectionDroppedMidStream_SurfacesAsAnError_AndIsNotRetried()
    {
        var twoLinesRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Streamed(5, DeltaCaps, async (write, context) =>
        {
            await write(DeltaProtocol);
            await write(DeltaMetadata);
            // Abort only once the client has the lines: a reset can discard data still unread in the client's socket.
            await twoLinesRead.Task.WaitAsync(TimeSpan.FromSeconds(10));
            context.Abort();
        }));
        using var client = server.Client();
        await using var result = await client.QueryAsync(Table, new QueryRequest());
        var seen = 0;

        var e = await AssertFailsAsync<SharingException>(async () =>
        {
            await foreach (var _ in result.Lines)
            {
                if (++seen == 2)
                    twoLinesRead.SetResult();
            }
        });

        Assert.Equal(2, seen);
        Assert.Contains("broke off after line 2", e.Message);
        Assert.Single(server.Requests);
    }
}
