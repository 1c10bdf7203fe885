using System.Security.Cryptography;
using System.Text;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

public sealed class DeltaFormatTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string DvFile = "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin";
    private const string DataFile = "part-00000-fae5310a-a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet";

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task DeletionVectorsAreSignedAsAbsolutePathsWhoseBytesMatchTheDvFile()
    {
        using var response = await Server.QueryAsync("dv_small", new { }, capabilities: "responseformat=delta;readerfeatures=deletionvectors");
        var lines = await TestServer.LinesAsync(response);
        Assert.Equal("responseformat=delta", TestServer.Header(response, "delta-sharing-capabilities"));
        Assert.Equal("1", TestServer.Header(response, "Delta-Table-Version"));

        var protocol = lines[0].GetProperty("protocol").GetProperty("deltaProtocol");
        Assert.Equal(3, protocol.GetProperty("minReaderVersion").GetInt32());
        Assert.Equal("deletionVectors", protocol.GetProperty("readerFeatures")[0].GetString());
        Assert.Equal("testId", lines[1].GetProperty("metaData").GetProperty("deltaMetadata").GetProperty("id").GetString());

        var file = TestServer.Wrapped(lines, "file").Single();
        Assert.Equal(Sha256Hex(DataFile), file.GetProperty("id").GetString());
        Assert.Equal(Sha256Hex(DvFile), file.GetProperty("deletionVectorFileId").GetString());
        Assert.False(file.TryGetProperty("version", out _));
        var add = file.GetProperty("deltaSingleAction").GetProperty("add");
        Assert.Equal(DataFile, SnapshotQueryTests.Key(add.GetProperty("path").GetString()!, "dv_small"));
        Assert.Equal("268435456", add.GetProperty("tags").GetProperty("OPTIMIZE_TARGET_SIZE").GetString());
        var dv = add.GetProperty("deletionVector");
        Assert.Equal("p", dv.GetProperty("storageType").GetString());
        Assert.Equal(1, dv.GetProperty("offset").GetInt32());
        Assert.Equal(36, dv.GetProperty("sizeInBytes").GetInt32());
        Assert.Equal(2, dv.GetProperty("cardinality").GetInt64());

        using var anonymous = new HttpClient();
        var dvBytes = await anonymous.GetByteArrayAsync(dv.GetProperty("pathOrInlineDv").GetString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(TestPaths.Table("table-with-dv-small"), DvFile)), dvBytes);
        var dataBytes = await anonymous.GetByteArrayAsync(add.GetProperty("path").GetString());
        Assert.Equal(635, dataBytes.Length);
    }

    [Fact]
    public async Task ChangesOfADvTableCarryRemoveAndReAddWithTheirVersions()
    {
        var lines = await Server.QueryLinesAsync("dv_small", new { startingVersion = 0 }, capabilities: "responseformat=delta");
        var files = TestServer.Wrapped(lines, "file").ToList();
        Assert.Equal(3, files.Count);
        Assert.Equal([0L, 1L, 1L], files.Select(f => f.GetProperty("version").GetInt64()));
        Assert.Equal([1677811178585L, 1677811194429L, 1677811194429L], files.Select(f => f.GetProperty("timestamp").GetInt64()));
        var remove = files[1].GetProperty("deltaSingleAction").GetProperty("remove");
        Assert.True(remove.GetProperty("extendedFileMetadata").GetBoolean());
        Assert.Equal(635, remove.GetProperty("size").GetInt64());
        Assert.False(files[1].TryGetProperty("deletionVectorFileId", out _));
        Assert.Equal("p", files[2].GetProperty("deltaSingleAction").GetProperty("add").GetProperty("deletionVector").GetProperty("storageType").GetString());
        // Same path, same id: the DV is what differs, and it has its own id.
        Assert.Equal(files[1].GetProperty("id").GetString(), files[2].GetProperty("id").GetString());
    }

    [Fact]
    public async Task ParquetFormatIsRefusedForDvAndColumnMappingTablesUnlessDeltaIsAcceptable()
    {
        foreach (var table in new[] { "dv_small", "column_mapping" })
        {
            await TestServer.AssertErrorAsync(await Server.QueryAsync(table, new { }), 400, "UNSUPPORTED_OPERATION");
            await TestServer.AssertErrorAsync(await Server.QueryAsync(table, new { }, capabilities: "responseformat=parquet"), 400, "UNSUPPORTED_OPERATION");
            using var either = await Server.QueryAsync(table, new { }, capabilities: "responseformat=delta,parquet");
            Assert.Equal("responseformat=delta", TestServer.Header(either, "delta-sharing-capabilities"));
        }
        using var simple = await Server.QueryAsync("simple_table", new { }, capabilities: "responseformat=delta,parquet");
        Assert.Equal("responseformat=parquet", TestServer.Header(simple, "delta-sharing-capabilities"));
    }

    [Fact]
    public async Task ColumnMappingTableKeepsPhysicalNamesInMetadataAndPartitionValues()
    {
        var lines = await Server.QueryLinesAsync("column_mapping", new { }, capabilities: "responseformat=delta");
        var schema = lines[1].GetProperty("metaData").GetProperty("deltaMetadata").GetProperty("schemaString").GetString()!;
        Assert.Contains("col-173b4db9-b5ad-427f-9e75-516aae37fbbb", schema);
        var adds = TestServer.Wrapped(lines, "file").Select(f => f.GetProperty("deltaSingleAction").GetProperty("add")).ToList();
        Assert.Equal(2, adds.Count);
        Assert.All(adds, a => Assert.True(a.GetProperty("partitionValues").TryGetProperty("col-173b4db9-b5ad-427f-9e75-516aae37fbbb", out _)));
        Assert.Contains(adds, a => SnapshotQueryTests.Key(a.GetProperty("path").GetString()!, "column_mapping").StartsWith("8v/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeltaFormatIdsCanBeAskedToUseMd5()
    {
        using var response = await Server.QueryAsync("dv_small", new { }, capabilities: "responseformat=delta", fileIdHash: "Parquet");
        Assert.Equal("parquet", TestServer.Header(response, "fileidhash"));
        var file = TestServer.Wrapped(await TestServer.LinesAsync(response), "file").Single();
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(DataFile))), file.GetProperty("id").GetString());
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
