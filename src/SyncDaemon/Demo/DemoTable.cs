using System.Globalization;
using Parquet;
using Parquet.Schema;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Daemon.Demo;

/// <summary>
/// Writes a small provider Delta table of sales rows with real Parquet files (written with Parquet.Net), partitioned by country,
/// one commit per call: appends, a delete and a schema change that adds a column. Data and timestamps are
/// deterministic, so every demo run produces the same table.
/// </summary>
public sealed class DemoTable
{
    private static readonly string[] Countries = ["DE", "FR", "NL"];
    private static readonly string[] Products = ["anvil", "bolt", "cog", "drill", "easel", "flask"];
    private const string SchemaV1 = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},{"name":"product","type":"string","nullable":true,"metadata":{}},{"name":"amount","type":"double","nullable":true,"metadata":{}},{"name":"country","type":"string","nullable":true,"metadata":{}}]}""";
    private const string SchemaV2 = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},{"name":"product","type":"string","nullable":true,"metadata":{}},{"name":"amount","type":"double","nullable":true,"metadata":{}},{"name":"country","type":"string","nullable":true,"metadata":{}},{"name":"note","type":"string","nullable":true,"metadata":{}}]}""";

    private readonly string _root;
    private readonly CommitWriter _writer;
    private readonly Dictionary<string, AddFile> _live = new(StringComparer.Ordinal);
    private long _nextId = 1;
    private long _time = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    private bool _hasNote;

    public DemoTable(string root)
    {
        _root = root;
        _writer = new CommitWriter(new LocalObjectStore(root));
    }

    public long Version { get; private set; } = -1;

    /// <summary>Rows per data file; a few thousand make files of tens of KiB, enough for visible progress.</summary>
    public int RowsPerFile { get; init; } = 5000;

    public async Task CreateAsync(CancellationToken ct) => await CommitAsync("CREATE TABLE",
        [new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 }, Metadata(SchemaV1), .. await NewFilesAsync(ct)], ct);

    public async Task AppendAsync(CancellationToken ct) => await CommitAsync("WRITE", [.. await NewFilesAsync(ct)], ct);

    /// <summary>Deletes the oldest file of one country, as a DELETE that drops whole files would.</summary>
    public Task DeleteAsync(CancellationToken ct)
    {
        var victim = _live.Values.Where(f => f.PartitionValues["country"] == "FR").OrderBy(f => f.Path, StringComparer.Ordinal).First();
        return CommitAsync("DELETE", [new RemoveFile
        {
            Path = victim.Path, DeletionTimestamp = _time, DataChange = true, ExtendedFileMetadata = true,
            PartitionValues = victim.PartitionValues, Size = victim.Size,
        }], ct);
    }

    /// <summary>Adds a nullable <c>note</c> column; files written from now on carry it.</summary>
    public Task AddNoteColumnAsync(CancellationToken ct)
    {
        _hasNote = true;
        return CommitAsync("ADD COLUMNS", [Metadata(SchemaV2)], ct);
    }

    private static Metadata Metadata(string schema) => new()
    {
        Id = "5a1e5d3e-0c1b-4f7e-9d1a-de0000000001",
        Name = "sales",
        SchemaString = schema,
        PartitionColumns = ["country"],
        CreatedTime = 1_767_225_600_000,
    };

    private async Task<AddFile[]> NewFilesAsync(CancellationToken ct)
    {
        var files = new AddFile[Countries.Length];
        for (var i = 0; i < files.Length; i++)
            files[i] = await NewFileAsync(Countries[i], ct);
        return files;
    }

    private async Task<AddFile> NewFileAsync(string country, CancellationToken ct)
    {
        var first = _nextId;
        _nextId += RowsPerFile;
        var relative = $"country={country}/part-{first:D8}-{country.ToLowerInvariant()}.snappy.parquet";
        var full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using (var stream = File.Create(full))
            await WriteParquetAsync(stream, first, ct);
        return new AddFile
        {
            Path = relative,
            PartitionValues = new() { ["country"] = country },
            Size = new FileInfo(full).Length,
            ModificationTime = _time,
            DataChange = true,
            Stats = string.Create(CultureInfo.InvariantCulture,
                $"{{\"numRecords\":{RowsPerFile},\"minValues\":{{\"id\":{first}}},\"maxValues\":{{\"id\":{first + RowsPerFile - 1}}},\"nullCount\":{{\"id\":0}}}}"),
        };
    }

    private async Task WriteParquetAsync(Stream stream, long firstId, CancellationToken ct)
    {
        var n = RowsPerFile;
        var ids = new long[n];
        var products = new string[n];
        var amounts = new double?[n];
        var notes = new string[n];
        for (var i = 0; i < n; i++)
        {
            var id = firstId + i;
            ids[i] = id;
            products[i] = Products[id % Products.Length];
            amounts[i] = Math.Round(id * 7.31 % 1000, 2);
            notes[i] = $"order {id} of version {Version + 1}";
        }
        var idField = new DataField<long>("id");
        var productField = new DataField<string>("product", nullable: true);
        var amountField = new DataField<double?>("amount");
        var noteField = new DataField<string>("note", nullable: true);
        var schema = _hasNote
            ? new ParquetSchema(idField, productField, amountField, noteField)
            : new ParquetSchema(idField, productField, amountField);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: ct);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(idField, ids, cancellationToken: ct);
        await group.WriteAsync(productField, products);
        await group.WriteAsync<double>(amountField, amounts, cancellationToken: ct);
        if (_hasNote)
            await group.WriteAsync(noteField, notes);
        group.CompleteValidate();
    }

    private async Task CommitAsync(string operation, DeltaAction[] actions, CancellationToken ct)
    {
        _time += 3_600_000;
        await _writer.WriteAsync(Version + 1, [new CommitInfo { Timestamp = _time, Operation = operation }, .. actions], ct);
        Version++;
        foreach (var action in actions)
        {
            if (action is AddFile add) _live[add.Path] = add;
            if (action is RemoveFile remove) _live.Remove(remove.Path);
        }
    }
}
