using System.Security.Cryptography;
using System.Text;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// Grows a provider Delta table on local disk version by version, as a writer engine would: appends, deletes,
/// overwrites, schema changes, OPTIMIZE-style rewrites (dataChange=false) and, once the change data feed is on,
/// updates and deletes that write <c>_change_data/</c> files with cdc actions. Data and change data files hold random
/// bytes: replication copies bytes, so content hashes are what the tests compare.
/// </summary>
internal sealed class ProviderTableBuilder
{
    private readonly LocalObjectStore _store;
    private readonly CommitWriter _writer;
    private readonly Dictionary<string, AddFile> _live = new(StringComparer.Ordinal);
    private readonly Random _random;
    private long _time = 1_700_000_000_000;
    private int _fileCounter;

    public ProviderTableBuilder(string root, int seed = 42)
    {
        Root = root;
        _store = new LocalObjectStore(root);
        _writer = new CommitWriter(_store);
        _random = new Random(seed);
    }

    public string Root { get; }
    /// <summary>Sizes of new data files: at least Min, below Max bytes.</summary>
    public (int Min, int Max) FileSizes { get; set; } = (100, 5000);
    public long Version { get; private set; } = -1;
    /// <summary>Whether the table's metadata (from the next metadata commit on) sets delta.enableChangeDataFeed.</summary>
    public bool ChangeDataFeed { get; set; }
    public IReadOnlyCollection<AddFile> LiveFiles => _live.Values;
    public static readonly string SchemaV1 = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"part","type":"string","nullable":true,"metadata":{}}]}""";
    public static readonly string SchemaV2 = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"part","type":"string","nullable":true,"metadata":{}},{"name":"note","type":"string","nullable":true,"metadata":{}}]}""";

    public Task CreateAsync(params string?[] partitions) => CommitAsync("CREATE TABLE",
        [new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 }, Metadata(SchemaV1), .. partitions.Select(NewFile)]);

    public Task AppendAsync(params string?[] partitions) => CommitAsync("WRITE", partitions.Select(NewFile).ToArray());

    public Task DeleteAsync(int count) => CommitAsync("DELETE", TakeLive(count).Select(f => Remove(f, dataChange: true)).ToArray());

    public Task OverwriteAsync(params string?[] partitions) =>
        CommitAsync("WRITE", [.. TakeLive(_live.Count).Select(f => Remove(f, true)), .. partitions.Select(NewFile)]);

    public Task ChangeSchemaAsync() => CommitAsync("ADD COLUMNS", [Metadata(SchemaV2)]);

    /// <summary>Compacts every live file of one partition into one new file; all actions have dataChange=false.</summary>
    public Task OptimizeAsync(string? partition)
    {
        var victims = _live.Values.Where(f => f.PartitionValues["part"] == partition).ToList();
        var compacted = NewFile(partition);
        compacted.DataChange = false;
        return CommitAsync("OPTIMIZE", [.. victims.Select(f => Remove(f, dataChange: false)), compacted]);
    }

    /// <summary>Turns the change data feed on with a metadata-only commit (ALTER TABLE … SET TBLPROPERTIES).</summary>
    public Task EnableChangeDataFeedAsync()
    {
        ChangeDataFeed = true;
        return CommitAsync("SET TBLPROPERTIES", [Metadata(SchemaV1)]);
    }

    /// <summary>Rewrites <paramref name="count"/> live files (an UPDATE): each is replaced by a new file in its partition, with one change data file per partition touched.</summary>
    public Task UpdateAsync(int count)
    {
        var victims = TakeLive(count);
        return CommitAsync("UPDATE", [.. victims.Select(f => Remove(f, true)), .. victims.Select(f => NewFile(PartitionOf(f))), .. ChangeFilesFor(victims)]);
    }

    /// <summary>Deletes rows from <paramref name="count"/> live files (a DELETE), recording the deleted rows as change data.</summary>
    public Task DeleteWithChangeDataAsync(int count)
    {
        var victims = TakeLive(count);
        return CommitAsync("DELETE", [.. victims.Select(f => Remove(f, true)), .. ChangeFilesFor(victims)]);
    }

    /// <summary>A commit with no file change at all (e.g. a table property change without metadata impact).</summary>
    public Task EmptyCommitAsync() => CommitAsync("SET TBLPROPERTIES", []);

    /// <summary>Writes a commit whose actions are given raw, for hostile-input tests.</summary>
    public Task RawCommitAsync(params DeltaAction[] actions) => CommitAsync("WRITE", actions);

    /// <summary>Adds a data file whose log path is given verbatim (URI-encoded), with its bytes at the decoded location.</summary>
    public AddFile FileAt(string logPath, Dictionary<string, string?> partitionValues)
    {
        var bytes = RandomBytes();
        var full = Path.Combine(Root, Uri.UnescapeDataString(logPath));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return new AddFile { Path = logPath, PartitionValues = partitionValues, Size = bytes.Length, DataChange = true, ModificationTime = _time };
    }

    private Metadata Metadata(string schema) => new()
    {
        Id = "9b1d5b2a-7a51-4a2a-9a43-5c1f0f7f1a01",
        Name = "grown",
        SchemaString = schema,
        PartitionColumns = ["part"],
        Configuration = ChangeDataFeed
            ? new() { ["delta.appendOnly"] = "false", ["delta.enableChangeDataFeed"] = "true" }
            : new() { ["delta.appendOnly"] = "false" },
        CreatedTime = 1_700_000_000_000,
    };

    private AddFile NewFile(string? partition)
    {
        var dir = partition is null ? "part=__HIVE_DEFAULT_PARTITION__" : "part=" + partition;
        var name = $"part-{_fileCounter++:D5}-{Guid.NewGuid():N}.c000.snappy.parquet";
        return FileAt(Uri.EscapeDataString(dir) + "/" + name, new() { ["part"] = partition });
    }

    private static string? PartitionOf(AddFile file) => file.PartitionValues["part"];

    private IEnumerable<CdcFile> ChangeFilesFor(IEnumerable<AddFile> victims) =>
        victims.Select(PartitionOf).Distinct().Select(partition =>
        {
            var dir = partition is null ? "part=__HIVE_DEFAULT_PARTITION__" : "part=" + partition;
            var data = FileAt($"_change_data/{Uri.EscapeDataString(dir)}/cdc-{_fileCounter++:D5}-{Guid.NewGuid():N}.c000.snappy.parquet", new() { ["part"] = partition });
            return new CdcFile { Path = data.Path, PartitionValues = data.PartitionValues, Size = data.Size, DataChange = false };
        }).ToList();

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(FileSizes.Min, FileSizes.Max)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private List<AddFile> TakeLive(int count) => _live.Values.OrderBy(f => f.Path, StringComparer.Ordinal).Take(count).ToList();

    private RemoveFile Remove(AddFile file, bool dataChange) => new()
    {
        Path = file.Path, DeletionTimestamp = _time, DataChange = dataChange, ExtendedFileMetadata = true,
        PartitionValues = file.PartitionValues, Size = file.Size,
    };

    private async Task CommitAsync(string operation, DeltaAction[] actions)
    {
        _time += 60_000;
        Version++;
        await _writer.WriteAsync(Version, [new CommitInfo { Timestamp = _time, Operation = operation }, .. actions], default);
        foreach (var action in actions)
        {
            if (action is AddFile add) _live[add.Path] = add;
            if (action is RemoveFile remove) _live.Remove(remove.Path);
        }
    }

    /// <summary>SHA-256 of a file, hex.</summary>
    public static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public static string Describe(IReadOnlyDictionary<string, string?> values) =>
        string.Join(",", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value ?? "<null>"}"));

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
