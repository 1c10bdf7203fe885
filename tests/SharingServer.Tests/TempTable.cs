using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>A small Delta table written by the test with <see cref="CommitWriter"/>; data files hold random bytes.</summary>
internal sealed class TempTable : IDisposable
{
    public const string SchemaV1 = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}""";
    public const string SchemaV2 = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"name","type":"string","nullable":true,"metadata":{"comment":"added in v2"}}]}""";

    private readonly TempDirectory _dir = new("sharing-table");
    private readonly LocalObjectStore _store;
    private readonly CommitWriter _writer;

    public TempTable()
    {
        _store = new LocalObjectStore(_dir.Path);
        _writer = new CommitWriter(_store);
    }

    public string Location => _dir.Path;

    public static Protocol Protocol() => new() { MinReaderVersion = 1, MinWriterVersion = 2 };

    public static Metadata Metadata(string schema = SchemaV1) => new()
    {
        Id = "7d5e7c3c-2a4f-4a8c-9d58-2f3f0b1f6d11",
        SchemaString = schema,
        PartitionColumns = [],
        Configuration = [],
        CreatedTime = 1_700_000_000_000,
    };

    /// <summary>Writes commit <paramref name="version"/> with a commitInfo carrying <paramref name="timestamp"/>.</summary>
    public Task CommitAsync(long version, long timestamp, params DeltaAction[] actions) =>
        _writer.WriteAsync(version, [new CommitInfo { Timestamp = timestamp, Operation = "TEST" }, .. actions], CancellationToken.None);

    /// <summary>Writes a data file of <paramref name="size"/> random bytes and returns its add action.</summary>
    public async Task<AddFile> DataFileAsync(string name, int size = 100, bool dataChange = true)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        await _store.WriteAsync(name, new MemoryStream(bytes), CancellationToken.None);
        return new AddFile { Path = name, Size = size, ModificationTime = 1_700_000_000_000, DataChange = dataChange, PartitionValues = [] };
    }

    public static RemoveFile Remove(AddFile add, bool dataChange = true) =>
        new() { Path = add.Path, DataChange = dataChange, DeletionTimestamp = 1_700_000_000_000, Size = add.Size };

    public void Dispose() => _dir.Dispose();
}
