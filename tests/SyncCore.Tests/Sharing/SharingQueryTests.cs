using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using static ReplicaSync.Tests.Sharing.ScriptedSharingServer;
using static ReplicaSync.Tests.Sharing.SharingTestData;

namespace ReplicaSync.Tests.Sharing;

public sealed class SharingQueryTests
{
    public const string QueryPath = "/shares/sales/schemas/retail/tables/orders/query";

    private static readonly string DeltaAddWithDv =
        Signed("""{"file":{"id":"f1","deletionVectorFileId":"dv-1","expirationTimestamp":1700003600000,"deltaSingleAction":{"add":{"path":"URL(f1)","partitionValues":{"day":"2024-01-01","region":null},"size":100,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":10}","deletionVector":{"storageType":"p","pathOrInlineDv":"URL(dv1)","offset":1,"sizeInBytes":40,"cardinality":3},"providerSpecific":{"k":"v"}}}}}""");

    private static readonly string DeltaRemove =
        Signed("""{"file":{"id":"f0","version":4,"timestamp":1700000000001,"expirationTimestamp":1700003600000,"deltaSingleAction":{"remove":{"path":"URL(f0)","deletionTimestamp":5,"dataChange":true,"size":90}}}}""");

    [Fact]
    public async Task DeltaFormat_ParsesFileActions_AndKeepsUnknownFields()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, DeltaCaps, DeltaProtocol, DeltaMetadata, DeltaAddWithDv, DeltaRemove, EndStream(nextPageToken: "", refreshToken: "rt")));
        using var client = server.Client();

        await using var result = await client.QueryAsync(Table, new QueryRequest { IncludeRefreshToken = true });
        var lines = await ReadAllAsync(result);

        Assert.Equal((5L, ResponseFormat.Delta), (result.Version, result.Format));
        Assert.Equal(5, lines.Count);
        var add = Assert.IsType<FileLine>(lines[2]);
        Assert.Equal((FileActionKind.Add, "f1", Url("f1"), 100L, true), (add.Kind, add.Id, add.Url, add.Size!.Value, add.DataChange));
        Assert.Equal("2024-01-01", add.PartitionValues["day"]);
        Assert.Null(add.PartitionValues["region"]);
        Assert.Equal("""{"numRecords":10}""", add.Stats);
        Assert.Equal(("dv-1", 1700003600000L), (add.DeletionVectorFileId, add.ExpirationTimestamp!.Value));
        Assert.Null(add.Version);
        var action = Assert.IsType<AddFile>(add.DeltaAction);
        Assert.Equal(("p", Url("dv1"), 3L), (action.DeletionVector!.StorageType, action.DeletionVector.PathOrInlineDv, action.DeletionVector.Cardinality));
        Assert.Equal("v", action.Extra!["providerSpecific"].GetProperty("k").GetString());
        // Written back into a local log, the action loses nothing the provider sent.
        Assert.Contains("\"providerSpecific\":{\"k\":\"v\"}", ActionCodec.ToJson(action));
        var remove = Assert.IsType<FileLine>(lines[3]);
        Assert.Equal((FileActionKind.Remove, "f0", 4L, 1700000000001L), (remove.Kind, remove.Id, remove.Version!.Value, remove.Timestamp!.Value));
        Assert.IsType<RemoveFile>(remove.DeltaAction);
        Assert.Empty(remove.PartitionValues);
        Assert.Equal(new EndStreamLine("rt", null, 1700003600000), lines[4]);

        var request = server.Requests[0];
        Assert.Equal("""{"includeRefreshToken":true}""", request.Body);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("responseformat=delta;readerfeatures=deletionvectors,columnmapping,timestampntz;includeendstreamaction=true",
            request.Header("delta-sharing-capabilities"));
    }

    [Fact]
    public async Task DeltaFormat_CdcAction_IsACdfFileLine()
    {
        var cdc = Signed("""{"file":{"id":"c1","version":6,"timestamp":7,"deltaSingleAction":{"cdc":{"path":"URL(c1)","partitionValues":{},"size":11,"dataChange":false}}}}""");
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, DeltaCaps, DeltaProtocol, DeltaMetadata, cdc, EndStream()));
        using var client = server.Client();

        var line = Assert.IsType<FileLine>((await QueryAllAsync(client))[2]);

        Assert.Equal((FileActionKind.Cdf, 11L, false), (line.Kind, line.Size!.Value, line.DataChange));
        Assert.IsType<CdcFile>(line.DeltaAction);
    }

    [Fact]
    public async Task ChangeDataFeed_IsAGetWithTheRangeInTheQueryString_AndStreamsLikeAQuery()
    {
        const string changesPath = "/shares/sales/schemas/retail/tables/orders/changes";
        var cdc = Signed("""{"file":{"id":"c1","version":6,"timestamp":7,"deltaSingleAction":{"cdc":{"path":"URL(c1)","partitionValues":{},"size":11,"dataChange":false}}}}""");
        await using var server = await StartAsync();
        server.Route("GET", changesPath, Response.Ndjson(6, DeltaCaps, DeltaProtocol, DeltaMetadata, cdc, EndStream()));
        using var client = server.Client();

        await using var result = await client.QueryChangesAsync(Table, new ChangesRequest(6, 9));
        var lines = await ReadAllAsync(result);

        Assert.Equal((6L, ResponseFormat.Delta), (result.Version, result.Format));
        var line = Assert.IsType<FileLine>(lines[2]);
        Assert.Equal((FileActionKind.Cdf, "c1", Url("c1"), 6L), (line.Kind, line.Id, line.Url, line.Version!.Value));
        var request = Assert.Single(server.RequestsTo(changesPath));
        Assert.Equal(new Dictionary<string, string> { ["startingVersion"] = "6", ["endingVersion"] = "9", ["includeHistoricalMetadata"] = "true" }, request.Query);
        Assert.StartsWith("responseformat=delta;", request.Header("delta-sharing-capabilities"));
    }

    [Fact]
    public async Task ParquetFormat_MapsFileAddRemoveCdf_AndEmptyPartitionValueToNull()
    {
        string[] lines =
        [
            ParquetProtocol,
            ParquetMetadata,
            Signed("""{"file":{"url":"URL(a)","id":"a","partitionValues":{"day":"","region":"eu"},"size":10,"stats":"{}","expirationTimestamp":9}}"""),
            Signed("""{"add":{"url":"URL(b)","id":"b","partitionValues":{},"size":20,"version":6,"timestamp":600}}"""),
            Signed("""{"remove":{"url":"URL(c)","id":"c","partitionValues":{},"size":30,"version":6,"timestamp":600}}"""),
            Signed("""{"cdf":{"url":"URL(d)","id":"d","partitionValues":{},"size":40,"version":7,"timestamp":700}}"""),
            EndStream(),
        ];
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, ParquetCaps, lines));
        using var client = server.Client();

        var parsed = await QueryAllAsync(client, new QueryRequest { StartingVersion = 5 }, ResponseFormat.Parquet);

        var protocol = Assert.IsType<ProtocolLine>(parsed[0]);
        Assert.Equal((1, 2), (protocol.Protocol.MinReaderVersion, protocol.Protocol.MinWriterVersion));
        var files = parsed.OfType<FileLine>().ToList();
        Assert.Equal([FileActionKind.Add, FileActionKind.Add, FileActionKind.Remove, FileActionKind.Cdf], files.Select(f => f.Kind));
        Assert.All(files, f => Assert.True(f.DataChange));
        Assert.All(files, f => Assert.Null(f.DeltaAction));
        Assert.Null(files[0].PartitionValues["day"]);
        Assert.Equal("eu", files[0].PartitionValues["region"]);
        Assert.Equal((Url("a"), "{}", 9L), (files[0].Url, files[0].Stats, files[0].ExpirationTimestamp!.Value));
        Assert.Equal((7L, 700L), (files[3].Version!.Value, files[3].Timestamp!.Value));
        Assert.Equal("responseformat=parquet;includeendstreamaction=true", server.Requests[0].Header("delta-sharing-capabilities"));
        Assert.Equal("""{"startingVersion":5}""", server.Requests[0].Body);
    }

    [Fact]
    public async Task ParquetFormat_ChangeLineWithoutVersion_IsAProtocolError()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(5, ParquetCaps, ParquetProtocol, ParquetMetadata,
            Signed("""{"add":{"url":"URL(b)","id":"b","partitionValues":{},"size":20,"timestamp":600}}"""), EndStream()));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => QueryAllAsync(client, format: ResponseFormat.Parquet));

        Assert.Equal(3, e.LineNumber);
        Assert.Contains("'version'", e.Message);
    }

    [Fact]
    public async Task DeltaAsked_LegacyServerAnswersParquet_IsAccepted()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(3, null, ParquetProtocol, ParquetMetadata,
            Signed("""{"file":{"url":"URL(a)","id":"a","partitionValues":{},"size":10}}""")));
        using var client = server.Client();

        await using var result = await client.QueryAsync(Table, new QueryRequest(), ResponseFormat.Delta);
        var lines = await ReadAllAsync(result);

        Assert.Equal((3L, ResponseFormat.Parquet), (result.Version, result.Format));
        Assert.Equal(FileActionKind.Add, Assert.IsType<FileLine>(lines[2]).Kind);
    }

    [Fact]
    public async Task ParquetAsked_ServerAnswersDelta_IsAProtocolError()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(3, DeltaCaps, DeltaProtocol, DeltaMetadata, EndStream()));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => client.QueryAsync(Table, new QueryRequest(), ResponseFormat.Parquet));

        Assert.Contains("parquet", e.Message);
    }

    [Fact]
    public async Task EchoedCapabilities_AreCaseInsensitive()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(3, "ResponseFormat=DELTA; IncludeEndStreamAction=True", DeltaProtocol, DeltaMetadata));
        using var client = server.Client();

        await using var result = await client.QueryAsync(Table, new QueryRequest());
        Assert.Equal(ResponseFormat.Delta, result.Format);
        // The echo promised an endStreamAction, and none came.
        var e = await AssertFailsAsync<SharingProtocolException>(() => ReadAllAsync(result));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public async Task MissingEndStream_IsFine_WhenTheServerDidNotPromiseOne()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(3, "responseformat=delta", DeltaProtocol, DeltaMetadata, DeltaAddWithDv));
        using var client = server.Client();

        Assert.Equal(3, (await QueryAllAsync(client)).Count);
    }

    [Fact]
    public async Task Query_WithoutVersionHeader_IsAProtocolError()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(null, DeltaCaps, DeltaProtocol, DeltaMetadata, EndStream()));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => client.QueryAsync(Table, new QueryRequest()));

        Assert.Contains("Delta-Table-Version", e.Message);
    }

    [Fact]
    public async Task Lines_CanBeEnumeratedOnlyOnce()
    {
        await using var server = await StartAsync();
        server.Route("POST", QueryPath, Response.Ndjson(3, DeltaCaps, DeltaProtocol, DeltaMetadata, EndStream()));
        using var client = server.Client();
        await using var result = await client.QueryAsync(Table, new QueryRequest());

        await ReadAllAsync(result);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAllAsync(result));
    }

    [Fact]
    public void FileLine_ToString_HidesTheSignature()
    {
        var line = new FileLine(FileActionKind.Add, "f", Url("f"), new Dictionary<string, string?>(), 1, null, true, null, null, null, null, null);

        Assert.DoesNotContain(Signature, line.ToString());
        Assert.Contains("https://bucket.s3.amazonaws.com/t/f.parquet", line.ToString());
    }
}
