using ReplicaSync.Sharing;
using static ReplicaSync.Tests.Sharing.ScriptedSharingServer;
using static ReplicaSync.Tests.Sharing.SharingTestData;

namespace ReplicaSync.Tests.Sharing;

public sealed class SharingVersionAndMetadataTests
{
    private const string TablePath = "/shares/sales/schemas/retail/tables/orders";

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    public async Task Version_ReadsTheHeader(int status)
    {
        await using var server = await StartAsync();
        server.Route("GET", TablePath + "/version", Response.Empty(status).With("Delta-Table-Version", "42"));
        using var client = server.Client();

        Assert.Equal(42, await client.GetTableVersionAsync(Table));
        Assert.False(server.Requests[0].Query.ContainsKey("startingTimestamp"));
    }

    [Fact]
    public async Task Version_SendsStartingTimestampAsIsoUtc()
    {
        await using var server = await StartAsync();
        server.Route("GET", TablePath + "/version", Response.Empty(200).With("Delta-Table-Version", "7"));
        using var client = server.Client();

        await client.GetTableVersionAsync(Table, new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)));

        Assert.Equal("2024-01-02T03:04:05Z", server.Requests[0].Query["startingTimestamp"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("seven")]
    [InlineData("-1")]
    public async Task Version_MissingOrBadHeader_IsAProtocolError(string? header)
    {
        await using var server = await StartAsync();
        var response = Response.Empty(200);
        if (header is not null)
            response.With("Delta-Table-Version", header);
        server.Route("GET", TablePath + "/version", response);
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => client.GetTableVersionAsync(Table));

        Assert.Contains("Delta-Table-Version", e.Message);
    }

    [Fact]
    public async Task Metadata_DeltaFormat_KeepsActionsVerbatim()
    {
        await using var server = await StartAsync();
        server.Route("GET", TablePath + "/metadata", Response.Ndjson(5, "responseformat=delta", DeltaProtocol, DeltaMetadata));
        using var client = server.Client();

        var result = await client.GetMetadataAsync(Table, version: 5);

        Assert.Equal(5, result.Version);
        Assert.Equal(ResponseFormat.Delta, result.Format);
        Assert.Equal(7, result.Protocol.Protocol.MinWriterVersion);
        Assert.Equal(["deletionVectors", "futureFeature"], result.Protocol.Protocol.WriterFeatures!);
        Assert.Equal(42, result.Protocol.Protocol.Extra!["futureField"].GetInt32());
        Assert.Equal("tbl-1", result.Metadata.Metadata.Id);
        Assert.Equal(1700000000000, result.Metadata.Metadata.CreatedTime);
        Assert.Equal((5L, 1234L, 2L), (result.Metadata.Version!.Value, result.Metadata.Size!.Value, result.Metadata.NumFiles!.Value));
        var request = server.Requests[0];
        Assert.Equal("5", request.Query["version"]);
        Assert.Equal("responseformat=delta;readerfeatures=deletionvectors,columnmapping,timestampntz", request.Header("delta-sharing-capabilities"));
    }

    [Fact]
    public async Task Metadata_FromLegacyParquetServer_IsNormalised()
    {
        await using var server = await StartAsync();
        server.Route("GET", TablePath + "/metadata", Response.Ndjson(5, null, ParquetProtocol, ParquetMetadata));
        using var client = server.Client();

        var result = await client.GetMetadataAsync(Table);

        Assert.Equal(ResponseFormat.Parquet, result.Format);
        Assert.Equal((1, 2), (result.Protocol.Protocol.MinReaderVersion, result.Protocol.Protocol.MinWriterVersion));
        var metadata = result.Metadata.Metadata;
        Assert.Empty(metadata.Configuration);
        Assert.Null(metadata.CreatedTime);
        Assert.Null(metadata.Extra);
        Assert.Equal(["day"], metadata.PartitionColumns);
        Assert.Equal(5, result.Metadata.Version);
        Assert.False(server.Requests[0].Query.ContainsKey("version"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task Metadata_NotExactlyTwoLines_IsAProtocolError(int count)
    {
        await using var server = await StartAsync();
        string[] lines = [ParquetProtocol, ParquetMetadata, ParquetMetadata];
        server.Route("GET", TablePath + "/metadata", Response.Ndjson(5, null, lines[..count]));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => client.GetMetadataAsync(Table));

        Assert.Contains(count == 3 ? "exactly 2 lines" : "ended after 1 line", e.Message);
    }

    [Fact]
    public async Task Metadata_WithoutVersionHeader_IsAProtocolError()
    {
        await using var server = await StartAsync();
        server.Route("GET", TablePath + "/metadata", Response.Ndjson(null, null, ParquetProtocol, ParquetMetadata));
        using var client = server.Client();

        var e = await AssertFailsAsync<SharingProtocolException>(() => client.GetMetadataAsync(Table));

        Assert.Contains("Delta-Table-Version", e.Message);
    }
}
