using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>The live adds of a paged snapshot, spilled to a temp file: read back whole by index, kept open while leased.</summary>
public sealed class SpilledAddsTests
{
    [Fact]
    public async Task Adds_read_back_by_index_with_their_stats_partition_values_and_tags()
    {
        var adds = Enumerable.Range(0, 50).Select(Add).ToList();
        var spilled = await SpilledAdds.WriteAsync(adds.ToAsyncEnumerable(), default);

        Assert.Equal(50, spilled.Count);
        foreach (var i in new[] { 49, 0, 17, 17, 3 })
        {
            var back = spilled[i];
            Assert.Equal((adds[i].Path, adds[i].Size, adds[i].Stats), (back.Path, back.Size, back.Stats));
            Assert.Equal(adds[i].PartitionValues, back.PartitionValues);
            Assert.Equal(adds[i].Tags, back.Tags);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => spilled[50]);
        spilled.Release();
    }

    [Fact]
    public async Task The_file_stays_readable_while_a_reader_holds_a_lease_and_closes_with_the_last_one()
    {
        var spilled = await SpilledAdds.WriteAsync(new[] { Add(1), Add(2) }.ToAsyncEnumerable(), default);
        Assert.True(spilled.TryAcquire());
        spilled.Release(); // the owner lets go; the reader's lease keeps the file
        Assert.Equal(Add(2).Path, spilled[1].Path);
        spilled.Release();

        Assert.False(spilled.TryAcquire());
        Assert.Throws<ObjectDisposedException>(() => spilled[0]);
    }

    [Fact]
    public async Task The_spill_leaves_no_file_by_name_in_the_temp_folder()
    {
        string[] Spills() => Directory.GetFiles(Path.GetTempPath(), "replicasync-pages-*");
        var before = Spills();
        var spilled = await SpilledAdds.WriteAsync(new[] { Add(1) }.ToAsyncEnumerable(), default);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(before, Spills());
        spilled.Release();
        Assert.Equal(before, Spills());
    }

    private static AddFile Add(int i) => new()
    {
        Path = $"part=p{i % 3}/f-{i:D4}.parquet",
        PartitionValues = new Dictionary<string, string?> { ["part"] = i % 5 == 0 ? null : $"p{i % 3}" },
        Size = 100 + i,
        ModificationTime = 1_700_000_000_000 + i,
        DataChange = true,
        Stats = "{\"numRecords\":" + i + ",\"minValues\":{\"id\":" + i + "},\"maxValues\":{\"id\":" + i + "}}",
        Tags = new Dictionary<string, string?> { ["tag"] = $"t{i}" },
    };
}
