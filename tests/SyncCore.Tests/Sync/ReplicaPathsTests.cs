using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

namespace ReplicaSync.Tests.Sync;

public class ReplicaPathsTests
{
    private static readonly string[] Columns = ["x", "y"];

    [Fact]
    public void Partition_values_become_spark_escaped_directories()
    {
        var key = ReplicaPaths.DataFileKey("abc123", Columns, new Dictionary<string, string?> { ["x"] = "A/B%C", ["y"] = null }, true);
        Assert.Equal("x=A%2FB%25C/y=__HIVE_DEFAULT_PARTITION__/part-abc123.parquet", key);
        // The log path is the key URI-encoded exactly once, like Spark/delta-rs write it (x=A%252FA in the test data).
        Assert.Equal("x=A%252FB%2525C/y=__HIVE_DEFAULT_PARTITION__/part-abc123.parquet", ReplicaPaths.ToLogPath(key));
        Assert.Equal(key, ReplicaPaths.FromLogPath(ReplicaPaths.ToLogPath(key)));
    }

    [Fact]
    public void Spaces_and_unicode_survive_one_encode_decode()
    {
        var key = ReplicaPaths.DataFileKey("f", ["c"], new Dictionary<string, string?> { ["c"] = "B B é ü #?" }, true);
        Assert.Equal("c=B B é ü %23%3F/part-f.parquet", key);
        Assert.Equal(key, ReplicaPaths.FromLogPath(ReplicaPaths.ToLogPath(key)));
        Assert.DoesNotContain(' ', ReplicaPaths.ToLogPath(key));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData("id\0with-nul")]
    public void Hostile_file_ids_are_hashed_into_one_safe_name(string id)
    {
        var key = ReplicaPaths.DataFileKey(id, [], new Dictionary<string, string?>(), false);
        Assert.Matches("^part-h_[0-9a-f]{64}\\.parquet$", key);
        Assert.Equal(key, ObjectPath.Validate(key));
        Assert.NotEqual(key, ReplicaPaths.DataFileKey(id + "x", [], new Dictionary<string, string?>(), false));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../..")]
    [InlineData("/abs")]
    [InlineData("a/../../b")]
    public void Hostile_partition_values_stay_inside_their_segment(string value)
    {
        var key = ReplicaPaths.DataFileKey("f1", ["p"], new Dictionary<string, string?> { ["p"] = value }, true);
        Assert.Equal(key, ObjectPath.Validate(key));
        Assert.Equal(2, key.Split('/').Length);
        Assert.StartsWith("p=", key);
    }

    [Theory]
    [InlineData("../../_delta_log/00000000000000000009.json", "..")]
    [InlineData("c1", "../x")]
    [InlineData("a/b", "/abs")]
    public void Change_data_files_stay_under_change_data_in_escaped_partition_directories(string id, string value)
    {
        var key = ReplicaPaths.ChangeDataFileKey(id, ["p"], new Dictionary<string, string?> { ["p"] = value }, true);
        Assert.Equal(key, ObjectPath.Validate(key));
        var segments = key.Split('/');
        Assert.Equal(3, segments.Length);
        Assert.Equal("_change_data", segments[0]);
        Assert.Equal("p=" + ReplicaPaths.EscapePathName(value), segments[1]);
        Assert.Matches("^cdc-[0-9A-Za-z_-]+\\.parquet$", segments[2]);
        Assert.Equal("_change_data/cdc-" + ReplicaPaths.SafeId(id) + ".parquet",
            ReplicaPaths.ChangeDataFileKey(id, ["p"], new Dictionary<string, string?> { ["p"] = value }, useDirectories: false));
    }

    [Fact]
    public void Very_long_partition_values_are_hashed_to_a_bounded_segment()
    {
        var key = ReplicaPaths.DataFileKey("f1", ["p"], new Dictionary<string, string?> { ["p"] = new string('v', 1000) }, true);
        Assert.True(key.Split('/')[0].Length <= 200);
    }

    [Fact]
    public void Plain_ids_are_kept_so_names_are_readable()
    {
        Assert.Equal("part-0f1e2d-ABC.parquet", ReplicaPaths.DataFileKey("0f1e2d-ABC", [], new Dictionary<string, string?>(), false));
    }

    [Fact]
    public void Z85_decodes_the_delta_spec_dv_example()
    {
        // From the Delta protocol and delta-rs's table-with-dv-small: this id names deletion_vector_61d16c75-….bin.
        Assert.Equal("deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin", DeletionVectorPath.RelativeFile("vBn[lx{q8@P<9BNH/isA"));
        Assert.Equal("ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", DeletionVectorPath.RelativeFile("ab^-aqEH.-t@S}K{vb[*k^"));
        var uuid = Guid.NewGuid();
        Assert.Equal($"deletion_vector_{uuid:D}.bin", DeletionVectorPath.RelativeFile(DeletionVectorPath.EncodeUuid(uuid)));
    }
}
