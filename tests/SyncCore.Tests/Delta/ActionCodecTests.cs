using System.Text;
using System.Text.Json.Nodes;
using ReplicaSync.Delta;

namespace ReplicaSync.Tests.Delta;

public class ActionCodecTests
{
    [Fact]
    public void Unknown_fields_and_actions_survive_a_round_trip()
    {
        var lines = new[]
        {
            """{"add":{"path":"a.parquet","partitionValues":{"k":null},"size":10,"modificationTime":5,"dataChange":true,"futureField":{"x":[1,2]},"baseRowId":7}}""",
            """{"metaData":{"id":"m","format":{"provider":"parquet","options":{},"newOpt":1},"schemaString":"{}","partitionColumns":[],"configuration":{"a":"b"},"createdTime":1,"extra":"e"}}""",
            """{"someFutureAction":{"k":[1,{"z":null}]}}""",
            """{"commitInfo":{"timestamp":12,"operation":"WRITE","operationMetrics":{"numFiles":"2"}}}""",
        };
        foreach (var line in lines)
        {
            var action = ActionCodec.Parse(Encoding.UTF8.GetBytes(line), "test");
            var written = ActionCodec.ToJson(action);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(line), JsonNode.Parse(written)), $"{line}\n!=\n{written}");
        }
    }

    [Fact]
    public void An_add_copy_writes_exactly_as_the_original_and_rewriting_it_leaves_the_original_alone()
    {
        var line = """{"add":{"path":"p=1/f.parquet","partitionValues":{"p":"1"},"size":10,"modificationTime":5,"dataChange":true,"stats":"{\"numRecords\":3}","tags":{"t":"v"},"deletionVector":{"storageType":"p","pathOrInlineDv":"https://x/dv","offset":1,"sizeInBytes":36,"cardinality":2,"dvFuture":1},"baseRowId":7,"defaultRowCommitVersion":2,"clusteringProvider":"liquid","futureField":{"x":[1,2]}}}""";
        var original = Assert.IsType<AddFile>(ActionCodec.Parse(Encoding.UTF8.GetBytes(line), "test"));
        // Every property set, so a property added to AddFile without being copied fails here.
        foreach (var property in typeof(AddFile).GetProperties().Where(p => p.CanWrite))
            Assert.NotNull(property.GetValue(original));

        var copy = original.Copy();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(line), JsonNode.Parse(ActionCodec.ToJson(copy))), ActionCodec.ToJson(copy));

        copy.Path = "other.parquet";
        copy.PartitionValues["p"] = "2";
        copy.Tags!["checksum"] = "c";
        copy.DeletionVector!.StorageType = "u";
        copy.Extra!.Remove("futureField");
        copy.DeletionVector.Extra!.Clear();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(line), JsonNode.Parse(ActionCodec.ToJson(original))), ActionCodec.ToJson(original));
    }

    [Fact]
    public void Typed_fields_are_read()
    {
        var add = Assert.IsType<AddFile>(ActionCodec.Parse(
            """{"add":{"path":"x=A%252FA/f.parquet","partitionValues":{"x":"A/A"},"size":460,"modificationTime":1631873480391,"dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"vBn[lx{q8@P<9BNH/isA","offset":1,"sizeInBytes":36,"cardinality":2}}}"""u8,
            "test"));
        Assert.Equal("x=A%252FA/f.parquet", add.Path);
        Assert.Equal("A/A", add.PartitionValues["x"]);
        Assert.Equal(460, add.Size);
        Assert.Equal(new FileKey("x=A%252FA/f.parquet", "uvBn[lx{q8@P<9BNH/isA@1"), add.Key);
    }

    [Theory]
    [InlineData("not json", "malformed JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{}", "empty")]
    [InlineData("""{"add":{},"remove":{}}""", "exactly one action")]
    [InlineData("""{"add":5}""", "must be an object")]
    [InlineData("""{"add":{"size":"big"}}""", "malformed JSON")]
    public void Bad_lines_are_rejected_with_the_source_named(string line, string reason)
    {
        var e = Assert.Throws<DeltaFormatException>(() => ActionCodec.Parse(Encoding.UTF8.GetBytes(line), "00.json line 3"));
        Assert.Contains("00.json line 3", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Replay_detail_keeps_what_replay_needs_and_skips_stats_tags_and_unknown_fields()
    {
        var line = """{"add":{"path":"p=1/f.parquet","partitionValues":{"p":"1"},"size":12,"modificationTime":5,"dataChange":true,"stats":"{\"numRecords\":3}","tags":{"t":"v"},"future":1,"deletionVector":{"storageType":"u","pathOrInlineDv":"vBn[lx{q8@P<9BNH/isA","offset":1,"sizeInBytes":36,"cardinality":2}}}"""u8;
        var full = Assert.IsType<AddFile>(ActionCodec.Parse(line, new LineSource("c.json", 1), ActionDetail.Full));
        var slim = Assert.IsType<AddFile>(ActionCodec.Parse(line, new LineSource("c.json", 1), ActionDetail.Replay));
        Assert.Equal((full.Path, full.Size, full.ModificationTime, full.DataChange, full.Key), (slim.Path, slim.Size, slim.ModificationTime, slim.DataChange, slim.Key));
        Assert.Equal("1", slim.PartitionValues["p"]);
        Assert.NotNull(full.Stats);
        Assert.Null(slim.Stats);
        Assert.Null(slim.Tags);
        Assert.Null(slim.Extra);
        var e = Assert.Throws<DeltaFormatException>(() => ActionCodec.Parse("{\"add\":"u8, new LineSource("c.json", 7), ActionDetail.Replay));
        Assert.StartsWith("c.json line 7:", e.Message);
    }
}
