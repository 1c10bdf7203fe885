using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ReplicaSync.Sync;

/// <summary>
/// The one function that turns provider strings (file ids, partition values, DV ids) into replica paths.
/// Directories follow Spark (<c>col=value</c>, escaped as Spark escapes, nulls as <c>__HIVE_DEFAULT_PARTITION__</c>);
/// file names derive from the provider's file id. Every result is a relative key that cannot leave the table root.
/// </summary>
public static class ReplicaPaths
{
    public const string NullPartition = "__HIVE_DEFAULT_PARTITION__";

    /// <summary>The directory Delta writers keep change data files in.</summary>
    public const string ChangeDataDir = "_change_data";

    // Segments longer than this are hashed: most file systems cap a name at 255 bytes.
    private const int MaxSegmentBytes = 200;

    /// <summary>
    /// The storage key (unescaped) of a data file. <paramref name="partitionColumns"/> gives the directory order;
    /// with <paramref name="useDirectories"/> false (column mapping) files sit at the root, as Spark does.
    /// </summary>
    public static string DataFileKey(string fileId, IReadOnlyList<string> partitionColumns,
        IReadOnlyDictionary<string, string?> partitionValues, bool useDirectories) =>
        PartitionedKey(new StringBuilder(), DataFileName(fileId), partitionColumns, partitionValues, useDirectories);

    /// <summary>
    /// The storage key of a change data file: under <see cref="ChangeDataDir"/>, in the partition directories a data
    /// file of the same values would have, named from the provider's file id as data files are.
    /// </summary>
    public static string ChangeDataFileKey(string fileId, IReadOnlyList<string> partitionColumns,
        IReadOnlyDictionary<string, string?> partitionValues, bool useDirectories) =>
        PartitionedKey(new StringBuilder(ChangeDataDir).Append('/'), "cdc-" + SafeId(fileId) + ".parquet", partitionColumns, partitionValues, useDirectories);

    private static string PartitionedKey(StringBuilder builder, string name, IReadOnlyList<string> partitionColumns,
        IReadOnlyDictionary<string, string?> partitionValues, bool useDirectories)
    {
        if (!useDirectories || partitionColumns.Count == 0)
            return builder.Append(name).ToString();
        foreach (var column in partitionColumns)
        {
            partitionValues.TryGetValue(column, out var value);
            var segment = EscapePathName(column) + "=" + (string.IsNullOrEmpty(value) ? NullPartition : EscapePathName(value));
            builder.Append(Bounded(segment)).Append('/');
        }
        return builder.Append(name).ToString();
    }

    /// <summary>The file name of a provider file in the replica; it depends on the file id alone.</summary>
    public static string DataFileName(string fileId) => "part-" + SafeId(fileId) + ".parquet";

    /// <summary>The table-relative key of a copied deletion vector file for a stable DV file identity.</summary>
    public static (string Key, Guid Uuid) DeletionVectorFile(string dvFileIdentity)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(dvFileIdentity));
        var uuid = new Guid(hash.AsSpan(0, 16), bigEndian: true);
        return ($"deletion_vector_{uuid:D}.bin", uuid);
    }

    /// <summary>A file-name-safe form of an id: itself when plain, else a hash (with a prefix no plain id can have).</summary>
    public static string SafeId(string id)
    {
        if (id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            return id;
        return "h_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
    }

    /// <summary>Spark's <c>escapePathName</c>: %XX for control characters and <c>"#%'*/:=?\{[]^</c> and DEL.</summary>
    public static string EscapePathName(string value)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (NeedsEscape(c))
            {
                builder ??= new StringBuilder(value.Length + 8).Append(value, 0, i);
                builder.Append('%').Append(((int)c).ToString("X2"));
            }
            else
            {
                builder?.Append(c);
            }
        }
        return builder?.ToString() ?? value;
    }

    /// <summary>Encodes a storage key as a Delta <c>path</c> (RFC 2396 URI): each byte outside the safe set becomes %XX, once.</summary>
    public static string ToLogPath(string key)
    {
        if (!key.AsSpan().ContainsAnyExcept(LogPathSafe))
            return key;
        var builder = new StringBuilder(key.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            if (LogPathSafe.Contains((char)b))
                builder.Append((char)b);
            else
                builder.Append('%').Append(b.ToString("X2"));
        }
        return builder.ToString();
    }

    private static readonly SearchValues<char> LogPathSafe =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.~=");

    /// <summary>The last segment of a key or log path.</summary>
    public static string NameOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    /// <summary>Decodes a relative Delta <c>path</c> exactly once into a storage key.</summary>
    public static string FromLogPath(string path) => Uri.UnescapeDataString(path);

    private static bool NeedsEscape(char c) =>
        c < 0x20 || c == 0x7F || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '{' or '[' or ']' or '^';

    private static string Bounded(string segment) =>
        Encoding.UTF8.GetByteCount(segment) <= MaxSegmentBytes
            ? segment
            : "h_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(segment)));
}
