using System.Globalization;

namespace ReplicaSync.Delta;

/// <summary>Names of files under <c>_delta_log/</c>: 20-digit zero-padded commit versions.</summary>
public static class LogFileNames
{
    public const string LogDir = "_delta_log/";

    /// <summary>The store key of the commit file for <paramref name="version"/>.</summary>
    public static string Commit(long version) =>
        LogDir + version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    /// <summary>The store key of the single-file classic checkpoint for <paramref name="version"/>.</summary>
    public static string Checkpoint(long version) =>
        LogDir + version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet";

    /// <summary>
    /// Parses a classic checkpoint key: <c>v.checkpoint.parquet</c> gives (v, null, null), a multi-part
    /// <c>v.checkpoint.o.p.parquet</c> gives (v, o, p); anything else (V2 UUID-named checkpoints included) gives nulls.
    /// </summary>
    public static (long? Version, int? Part, int? Parts) ParseCheckpoint(string key)
    {
        if (!key.StartsWith(LogDir, StringComparison.Ordinal) || !key.EndsWith(".parquet", StringComparison.Ordinal))
            return (null, null, null);
        var fields = key[LogDir.Length..^".parquet".Length].Split('.');
        if (fields.Length < 2 || fields[1] != "checkpoint" || !IsDigits(fields[0], 20))
            return (null, null, null);
        var version = long.Parse(fields[0], CultureInfo.InvariantCulture);
        if (fields.Length == 2)
            return (version, null, null);
        if (fields.Length == 4 && IsDigits(fields[2], 10) && IsDigits(fields[3], 10))
        {
            var part = int.Parse(fields[2], CultureInfo.InvariantCulture);
            var parts = int.Parse(fields[3], CultureInfo.InvariantCulture);
            if (part >= 1 && part <= parts)
                return (version, part, parts);
        }
        return (null, null, null);
    }

    private static bool IsDigits(ReadOnlySpan<char> s, int length) => s.Length == length && !s.ContainsAnyExceptInRange('0', '9');

    /// <summary>The version of a commit file key such as <c>_delta_log/00000000000000000007.json</c>, or null.</summary>
    public static long? ParseCommitVersion(string key)
    {
        if (!key.StartsWith(LogDir, StringComparison.Ordinal) || !key.EndsWith(".json", StringComparison.Ordinal))
            return null;
        // Called for every key of a log listing: parse in place, without a substring.
        var digits = key.AsSpan(LogDir.Length, key.Length - LogDir.Length - ".json".Length);
        if (!IsDigits(digits, 20))
            return null;
        return long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
