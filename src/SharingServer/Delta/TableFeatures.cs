using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>Table properties that decide which response formats can represent a table.</summary>
internal static class TableFeatures
{
    /// <summary>
    /// Why the parquet response format cannot represent the table (reader version above 1, column mapping or
    /// deletion vectors), or null when it can.
    /// </summary>
    public static string? ParquetBlocker(Protocol protocol, Metadata metadata)
    {
        if (protocol.MinReaderVersion > 1)
            return $"the table needs reader version {protocol.MinReaderVersion}";
        if (metadata.Configuration.GetValueOrDefault("delta.columnMapping.mode") is { } mode
            && !mode.Equals("none", StringComparison.OrdinalIgnoreCase))
            return $"the table uses column mapping ({mode})";
        if (IsTrue(metadata, "delta.enableDeletionVectors"))
            return "the table has deletion vectors enabled";
        return null;
    }

    public static bool IsTrue(Metadata metadata, string key) =>
        metadata.Configuration.GetValueOrDefault(key)?.Equals("true", StringComparison.OrdinalIgnoreCase) == true;
}
