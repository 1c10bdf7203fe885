using ReplicaSync.Parquet;
using static ReplicaSync.Parquet.SchemaNode;

namespace ReplicaSync.Delta;

/// <summary>
/// The classic checkpoint schema as Spark writes it: one optional struct column per action kind, every field
/// optional, maps as MAP&lt;string, string?&gt; (key_value) and lists as LIST (list/element), stats as JSON text.
/// </summary>
public static class CheckpointSchema
{
    private static SchemaNode Str(string name) => Leaf(name, Repetition.Optional, PhysicalType.ByteArray, LogicalKind.String);
    private static SchemaNode I64(string name) => Leaf(name, Repetition.Optional, PhysicalType.Int64);
    private static SchemaNode I32(string name) => Leaf(name, Repetition.Optional, PhysicalType.Int32);
    private static SchemaNode Bool(string name) => Leaf(name, Repetition.Optional, PhysicalType.Boolean);

    private static SchemaNode StringMap(string name) => Map(name, Repetition.Optional,
        Leaf("key", Repetition.Required, PhysicalType.ByteArray, LogicalKind.String), Str("value"));

    private static SchemaNode StringList(string name) => List(name, Repetition.Optional, Str("element"));

    private static SchemaNode DeletionVector() => Group("deletionVector", Repetition.Optional,
        Str("storageType"), Str("pathOrInlineDv"), I32("offset"), I32("sizeInBytes"), I64("cardinality"));

    public static SchemaNode Root { get; } = Group("spark_schema", Repetition.Required,
        Group("txn", Repetition.Optional, Str("appId"), I64("version"), I64("lastUpdated")),
        Group("add", Repetition.Optional, Str("path"), StringMap("partitionValues"), I64("size"), I64("modificationTime"),
            Bool("dataChange"), StringMap("tags"), DeletionVector(), I64("baseRowId"), I64("defaultRowCommitVersion"),
            Str("clusteringProvider"), Str("stats")),
        Group("remove", Repetition.Optional, Str("path"), I64("deletionTimestamp"), Bool("dataChange"), Bool("extendedFileMetadata"),
            StringMap("partitionValues"), I64("size"), StringMap("tags"), DeletionVector(), I64("baseRowId"), I64("defaultRowCommitVersion")),
        Group("metaData", Repetition.Optional, Str("id"), Str("name"), Str("description"),
            Group("format", Repetition.Optional, Str("provider"), StringMap("options")),
            Str("schemaString"), StringList("partitionColumns"), StringMap("configuration"), I64("createdTime")),
        Group("protocol", Repetition.Optional, I32("minReaderVersion"), I32("minWriterVersion"),
            StringList("readerFeatures"), StringList("writerFeatures")),
        Group("domainMetadata", Repetition.Optional, Str("domain"), Str("configuration"), Bool("removed")));
}
