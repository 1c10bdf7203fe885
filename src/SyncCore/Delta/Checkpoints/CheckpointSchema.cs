using Parquet.Schema;

namespace ReplicaSync.Delta;

/// <summary>
/// The classic checkpoint schema as Spark writes it: one optional struct column per action kind, every field
/// optional, maps as MAP&lt;string, string?&gt; (key_value) and lists as LIST (list/element), stats as JSON text.
/// </summary>
public static class CheckpointSchema
{
    private static DataField Str(string name) => new DataField<string>(name, nullable: true);
    private static DataField I64(string name) => new DataField<long?>(name);
    private static DataField I32(string name) => new DataField<int?>(name);
    private static DataField Bool(string name) => new DataField<bool?>(name);

    private static MapField StringMap(string name) => new(name, new DataField<string>("key", nullable: false), Str("value"));

    private static ListField StringList(string name) => new(name, Str("element"));

    private static StructField DeletionVector() => new("deletionVector",
        Str("storageType"), Str("pathOrInlineDv"), I32("offset"), I32("sizeInBytes"), I64("cardinality"));

    public static ParquetSchema Root { get; } = new(
        new StructField("txn", Str("appId"), I64("version"), I64("lastUpdated")),
        new StructField("add", Str("path"), StringMap("partitionValues"), I64("size"), I64("modificationTime"),
            Bool("dataChange"), StringMap("tags"), DeletionVector(), I64("baseRowId"), I64("defaultRowCommitVersion"),
            Str("clusteringProvider"), Str("stats")),
        new StructField("remove", Str("path"), I64("deletionTimestamp"), Bool("dataChange"), Bool("extendedFileMetadata"),
            StringMap("partitionValues"), I64("size"), StringMap("tags"), DeletionVector(), I64("baseRowId"), I64("defaultRowCommitVersion")),
        new StructField("metaData", Str("id"), Str("name"), Str("description"),
            new StructField("format", Str("provider"), StringMap("options")),
            Str("schemaString"), StringList("partitionColumns"), StringMap("configuration"), I64("createdTime")),
        new StructField("protocol", I32("minReaderVersion"), I32("minWriterVersion"),
            StringList("readerFeatures"), StringList("writerFeatures")),
        new StructField("domainMetadata", Str("domain"), Str("configuration"), Bool("removed")));

    /// <summary>The field at <paramref name="path"/> (struct members, a map's or list's own name), or null.</summary>
    public static Field? Find(ParquetSchema schema, ReadOnlySpan<string> path)
    {
        IReadOnlyList<Field> level = schema.Fields;
        Field? found = null;
        foreach (var name in path)
        {
            found = level.FirstOrDefault(f => f.Name == name);
            level = found is StructField s ? s.Fields : [];
            if (found is null)
                return null;
        }
        return found;
    }
}
