using System.Security.Cryptography;
using ReplicaSync.Delta;
using ReplicaSync.Sync;

namespace ReplicaSync.Tests.Delta;

/// <summary>
/// The packed live files of a snapshot against a plain dictionary of the same commits: every lookup, the file-name
/// index, enumeration, clones, and paths that need the rented buffer, a chunk of their own, or arena compaction.
/// </summary>
public class LiveFilesTests
{
    private static readonly Protocol Protocol = new() { MinReaderVersion = 1, MinWriterVersion = 2 };
    private static readonly Metadata Metadata = new()
    {
        Id = "t", Format = new FileFormat { Provider = "parquet" }, SchemaString = """{"type":"struct","fields":[]}""",
        PartitionColumns = ["p"],
    };

    private sealed record Expected(long Size, long Time, string? Partition, string? DvId);

    [Fact]
    public void Random_adds_and_removes_match_a_dictionary_of_the_same_commits()
    {
        var random = new Random(1234);
        var snapshot = new Snapshot();
        var model = new Dictionary<FileKey, Expected>();
        snapshot.Apply(new Commit(0, 0, [Protocol, Metadata]));
        // 3,000 names, some long enough for the rented buffer (> 256 bytes) or a chunk of their own (> 64 KiB),
        // some non-ASCII; each may be live with and without a deletion vector.
        string PathOf(int n) => n switch
        {
            _ when n % 997 == 0 => $"p={n % 7}/{new string('x', 70_000)}-{n}.parquet",
            _ when n % 101 == 0 => $"p={n % 7}/{new string('y', 300)}-{n}.parquet",
            _ when n % 13 == 0 => $"p={n % 7}/fïlé-ü-{n}.parquet",
            // Provider ids as replica names have them: long lowercase hex runs, which the store packs.
            _ when n % 3 == 0 => $"p={n % 7}/part-{Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(n)))}.parquet",
            _ when n % 211 == 0 => $"p={n % 7}/{string.Concat(Enumerable.Repeat("0f9e", 80))}{n}.parquet",
            _ => $"p={n % 7}/part-{n:D5}-c000.snappy.parquet",
        };
        for (var version = 1; version <= 400; version++)
        {
            var actions = new List<DeltaAction>();
            var touched = new HashSet<FileKey>();
            for (var i = 0; i < 60; i++)
            {
                var n = random.Next(3_000);
                var dv = n % 5 == 0 && random.Next(2) == 0
                    ? new DeletionVectorDescriptor { StorageType = "u", PathOrInlineDv = $"dv{n}", SizeInBytes = 10, Cardinality = 1 }
                    : null;
                var key = new FileKey(PathOf(n), dv?.UniqueId);
                if (!touched.Add(key))
                    continue;
                if (random.Next(3) == 0)
                {
                    actions.Add(new RemoveFile { Path = key.Path, DeletionVector = dv, DataChange = true, DeletionTimestamp = version });
                    model.Remove(key);
                }
                else
                {
                    var partition = (n % 7).ToString();
                    actions.Add(new AddFile
                    {
                        Path = key.Path, PartitionValues = new() { ["p"] = partition }, Size = version * 10_000L + n,
                        ModificationTime = version, DataChange = true, DeletionVector = dv,
                    });
                    model[key] = new Expected(version * 10_000L + n, version, partition, dv?.UniqueId);
                }
            }
            snapshot.Apply(new Commit(version, version, actions));
            if (version % 50 == 0)
                AssertSame(model, snapshot);
        }
        var removedAll = model.Keys.Select((k, i) => (DeltaAction)new RemoveFile
        {
            Path = k.Path, DataChange = true, DeletionTimestamp = 1,
            DeletionVector = k.DeletionVectorId is null ? null : new DeletionVectorDescriptor
            {
                StorageType = "u", PathOrInlineDv = k.DeletionVectorId[1..], SizeInBytes = 10, Cardinality = 1,
            },
        }).ToList();
        snapshot.Apply(new Commit(401, 401, removedAll));
        model.Clear();
        AssertSame(model, snapshot);
        Assert.Equal(0, snapshot.SizeInBytes);
    }

    [Fact]
    public void A_clone_and_its_source_change_apart()
    {
        var source = new Snapshot();
        source.Apply(new Commit(0, 0, [Protocol, Metadata, Add("p=1/a.parquet", 1), Add("p=1/b.parquet", 2)]));
        var clone = source.Clone();
        // Both append to the arena chunk they shared before the clone.
        source.Apply(new Commit(1, 1, [Add("p=1/c.parquet", 3), Remove("p=1/a.parquet")]));
        clone.Apply(new Commit(1, 1, [Add("p=2/d.parquet", 4), Add("p=1/b.parquet", 20)]));

        Assert.Equal(["p=1/b.parquet", "p=1/c.parquet"], source.Files.Keys.Select(k => k.Path).Order());
        Assert.Equal(2, source.Files[new FileKey("p=1/b.parquet", null)].Size);
        Assert.Equal(["p=1/a.parquet", "p=1/b.parquet", "p=2/d.parquet"], clone.Files.Keys.Select(k => k.Path).Order());
        Assert.Equal(20, clone.Files[new FileKey("p=1/b.parquet", null)].Size);
        Assert.Equal("2", clone.Files[new FileKey("p=2/d.parquet", null)].PartitionValues["p"]);
        Assert.Equal(5, source.SizeInBytes);
        Assert.Equal(25, clone.SizeInBytes);
    }

    [Fact]
    public void A_file_is_found_by_name_until_it_is_removed()
    {
        var state = new ReplicaState(null);
        state.Apply(new Commit(0, 0, [Protocol, Metadata, Add("p=1/part-a.parquet", 1), Add("p=2/part-b.parquet", 2)]));
        Assert.Equal("p=2/part-b.parquet", state.FindLive("part-b.parquet")?.Path);
        Assert.Null(state.FindLive("p=2/part-b.parquet"));
        Assert.Null(state.FindLive("part-c.parquet"));

        state.Apply(new Commit(1, 1, [Remove("p=2/part-b.parquet"), Add("p=3/part-c.parquet", 3)]));
        Assert.Null(state.FindLive("part-b.parquet"));
        Assert.Equal("p=3/part-c.parquet", state.FindLive("part-c.parquet")?.Path);
        Assert.Equal("p=1/part-a.parquet", state.FindLive("part-a.parquet")?.Path);
    }

    [Fact]
    public void Paths_of_removed_files_do_not_pile_up()
    {
        var snapshot = new Snapshot();
        snapshot.Apply(new Commit(0, 0, [Protocol, Metadata, Add("p=1/kept.parquet", 1)]));
        var longName = new string('z', 10_000);
        for (var version = 1; version <= 40; version++)
        {
            var paths = Enumerable.Range(0, 50).Select(i => $"p=1/{longName}-{version}-{i}.parquet").ToList();
            snapshot.Apply(new Commit(snapshot.Version + 1, version, [.. paths.Select(p => Add(p, 1))]));
            snapshot.Apply(new Commit(snapshot.Version + 1, version, [.. paths.Select(Remove)]));
        }
        // 40 rounds wrote 20 MB of paths; what is held stays near the live bytes plus the slack before a compaction.
        Assert.InRange(snapshot.Files.PathBytesHeld, 1, 4 << 20);
        Assert.Equal(["p=1/kept.parquet"], snapshot.Files.Keys.Select(k => k.Path));
        Assert.Equal("p=1/kept.parquet", snapshot.Files.FindByName("kept.parquet")?.Path);
    }

    [Fact]
    public void Changing_the_files_while_enumerating_them_fails()
    {
        var snapshot = new Snapshot();
        snapshot.Apply(new Commit(0, 0, [Protocol, Metadata, Add("a.parquet", 1), Add("b.parquet", 2)]));
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var _ in snapshot.Files)
                snapshot.Apply(new Commit(snapshot.Version + 1, 1, [Add($"c{snapshot.Version}.parquet", 3)]));
        });
    }

    private static AddFile Add(string path, long size) => new()
    {
        Path = path, PartitionValues = new() { ["p"] = path.Split('/')[0].Replace("p=", "") }, Size = size, ModificationTime = 1,
        DataChange = true,
    };

    private static RemoveFile Remove(string path) => new() { Path = path, DataChange = true, DeletionTimestamp = 1 };

    private static void AssertSame(Dictionary<FileKey, Expected> model, Snapshot snapshot)
    {
        var files = snapshot.Files;
        Assert.Equal(model.Count, files.Count);
        Assert.Equal(model.Values.Sum(e => e.Size), snapshot.SizeInBytes);
        foreach (var (key, expected) in model)
        {
            Assert.True(files.TryGetValue(key, out var live), key.Path);
            Assert.Equal(key, live.Key);
            Assert.Equal(expected.Size, live.Size);
            Assert.Equal(expected.Time, live.ModificationTime);
            Assert.Equal(expected.Partition, live.PartitionValues["p"]);
            Assert.Equal(expected.DvId, live.DeletionVector?.UniqueId);
            var named = files.FindByName(key.Path[(key.Path.LastIndexOf('/') + 1)..]);
            Assert.NotNull(named);
            Assert.Equal(key.Path, named.Path);
        }
        Assert.Equal(model.Keys.OrderBy(k => k.Path, StringComparer.Ordinal).ThenBy(k => k.DeletionVectorId),
            files.Select(pair => pair.Key).OrderBy(k => k.Path, StringComparer.Ordinal).ThenBy(k => k.DeletionVectorId));
        Assert.Equal(model.Count, files.Values.Count());
        Assert.False(files.ContainsKey(new FileKey("p=0/never.parquet", null)));
    }
}
