namespace ReplicaSync.Parquet;

/// <summary>A Parquet file that is corrupt or uses a feature this codec does not support; the message names the file.</summary>
public sealed class ParquetException(string message, Exception? inner = null) : Exception(message, inner)
{
    internal static ParquetException Corrupt(string file, string what, Exception? inner = null) =>
        new($"corrupt Parquet file '{file}': {what}", inner);

    internal static ParquetException Unsupported(string file, string what) =>
        new($"unsupported Parquet feature in '{file}': {what}");
}
