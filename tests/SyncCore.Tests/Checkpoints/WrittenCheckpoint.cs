using ReplicaSync.Delta;

namespace ReplicaSync.Tests.Checkpoints;

/// <summary>
/// A snapshot that uses every field of the checkpoint schema: protocol features, metadata maps and lists, a
/// transaction, a domain, adds with null partition values, tags, deletion vectors (inline and on disk), row tracking
/// and no stats, tombstones. Written in row groups of three rows, so several row groups hold each action kind.
/// </summary>
public static class WrittenCheckpoint
{
    public const int RowGroupRows = 3;

    public static Snapshot Snapshot()
    {
        var snapshot = new Snapshot();
        snapshot.Apply(new Commit(0, 1_700_000_000_000, [
            new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = ["deletionVectors"],
                           WriterFeatures = ["deletionVectors", "domainMetadata", "rowTracking"] },
            new Metadata
            {
                Id = "4d5e7c1a-0000-4000-8000-00000000000a", Name = "orders", Description = "every field, ünïcödé",
                Format = new FileFormat { Provider = "parquet", Options = new() { ["compression"] = "snappy" } },
                SchemaString = """{"type":"struct","fields":[{"name":"p","type":"string","nullable":true,"metadata":{}}]}""",
                PartitionColumns = ["p", "q"], CreatedTime = 1_700_000_000_000,
                Configuration = new() { ["delta.enableDeletionVectors"] = "true", ["empty"] = "" },
            },
            new SetTransaction { AppId = "streaming-app", Version = 42, LastUpdated = 1_700_000_000_123 },
            new DomainMetadata { Domain = "delta.rowTracking", Configuration = """{"rowIdHighWaterMark":99}""", Removed = false },
            .. Enumerable.Range(0, 8).Select(Add),
        ]));
        snapshot.Apply(new Commit(1, 1_700_000_001_000, [
            new RemoveFile { Path = Add(6).Path, DeletionTimestamp = 1_700_000_001_000, DataChange = true, ExtendedFileMetadata = true,
                             PartitionValues = Add(6).PartitionValues, Size = Add(6).Size, Stats = "{}", Tags = new() { ["t"] = "dropped" } },
            new RemoveFile { Path = Add(7).Path, DeletionTimestamp = 1_700_000_001_000, DataChange = false,
                             DeletionVector = Add(7).DeletionVector },
        ]));
        return snapshot;
    }

    /// <summary>The full adds of the snapshot's live files.</summary>
    public static IEnumerable<AddFile> LiveAdds() => Enumerable.Range(0, 6).Select(Add);

    private static AddFile Add(int i) => new()
    {
        Path = i == 3 ? "p=é ü/part-00003 with space%20.parquet" : $"p={(char)('a' + i % 3)}/part-{i:D5}.snappy.parquet",
        PartitionValues = new() { ["p"] = i == 3 ? "é ü" : ((char)('a' + i % 3)).ToString(), ["q"] = i % 2 == 0 ? null : "7" },
        Size = 1000L + i, ModificationTime = 1_700_000_000_000 + i, DataChange = i != 5,
        Stats = i == 4 ? null : $$$"""{"numRecords":{{{i + 1}}},"minValues":{"x":{{{i}}}},"maxValues":{"x":{{{i * 2}}}},"nullCount":{"x":0}}""",
        Tags = i % 3 == 0 ? new() { ["INSERTION_TIME"] = "1700000000000000", ["nullTag"] = null } : null,
        DeletionVector = i switch
        {
            1 => new DeletionVectorDescriptor { StorageType = "i", PathOrInlineDv = "wi5b=000010000siXQKl0rr91000f", SizeInBytes = 26, Cardinality = 2 },
            2 or 7 => new DeletionVectorDescriptor { StorageType = "u", PathOrInlineDv = "ab^-aqEH.-t@S}K{vb[*k^", Offset = 4 + i, SizeInBytes = 40, Cardinality = 6 },
            _ => null,
        },
        BaseRowId = i < 4 ? i * 10L : null, DefaultRowCommitVersion = i < 4 ? 0 : null, ClusteringProvider = i == 5 ? "liquid" : null,
    };
}
