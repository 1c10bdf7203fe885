using System.Text.RegularExpressions;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

namespace ReplicaSync.Vacuum;

/// <summary>How vacuum reads paths: log paths to storage keys, and which listed keys it may ever consider.</summary>
public static partial class VacuumPaths
{
    /// <summary>The marker <see cref="LocalObjectStore"/> puts in the names of its in-flight temp files.</summary>
    public const string TempMarker = LocalObjectStore.TempMarker;

    public const string ChangeDataDir = "_change_data";

    /// <summary>Iceberg metadata written next to the data by UniForm (icebergCompat); Spark's vacuum skips it too.</summary>
    public const string IcebergMetadataDir = "metadata";

    /// <summary>Whether the key names a temp file a writer left behind (<c>.&lt;name&gt;.replicasync-tmp-&lt;guid&gt;</c>).</summary>
    public static bool IsTempFile(string key)
    {
        var name = ReplicaPaths.NameOf(key);
        return name.StartsWith('.') && name.Contains(TempMarker, StringComparison.Ordinal);
    }

    /// <summary>Whether the key is inside <c>_delta_log/</c> (commits, checkpoints, sidecars, crc, _last_checkpoint…).</summary>
    public static bool IsInLog(string key) => key.StartsWith(LogFileNames.LogDir, StringComparison.Ordinal);

    /// <summary>
    /// Spark's rule for what vacuum must not treat as an orphan: any segment starting with '_' or '.', except
    /// <c>_change_data</c> and partition directories (<c>col=value</c>) of columns whose names start so; plus the
    /// top-level <c>metadata</c> directory. Such files belong to other tools (crc sidecars, markers, indexes).
    /// </summary>
    public static bool IsHidden(string key, IReadOnlyCollection<string> partitionColumns)
    {
        var segments = key.Split('/');
        if (segments.Length > 1 && segments[0] == IcebergMetadataDir)
            return true;
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || (segment[0] != '_' && segment[0] != '.'))
                continue;
            if (segment == ChangeDataDir || partitionColumns.Any(c => segment.StartsWith(c + "=", StringComparison.Ordinal)))
                continue;
            return true;
        }
        return false;
    }

    /// <summary>Whether a log path is absolute (has a URI scheme, or starts with '/'): it may point anywhere, so vacuum never deletes it.</summary>
    public static bool IsAbsolute(string logPath) => logPath.StartsWith('/') || SchemePrefix().IsMatch(logPath);

    /// <summary>The storage key of a relative log path (decoded once), or null for an absolute one.</summary>
    public static string? DataKey(string logPath) => IsAbsolute(logPath) ? null : ReplicaPaths.FromLogPath(logPath);

    /// <summary>
    /// The file a deletion vector lives in: a storage key for 'u', the absolute path for 'p' (to report), nothing
    /// for inline ('i') vectors.
    /// </summary>
    public static (string? Key, string? Absolute) DeletionVectorFile(DeletionVectorDescriptor? dv) => dv?.StorageType switch
    {
        "u" => (DeletionVectorPath.RelativeFile(dv.PathOrInlineDv), null),
        "p" => (null, dv.PathOrInlineDv),
        _ => (null, null),
    };

    // RFC 3986 scheme: a letter, then letters, digits, '+', '-' or '.', then ':'. Partition directories never match
    // ('=' is not allowed in a scheme); a relative name that does (a:b.parquet) is ambiguous in RFC 3986 as well, and
    // taking it for absolute only ever keeps a file.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex SchemePrefix();
}
