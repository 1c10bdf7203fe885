using System.Globalization;

namespace ReplicaSync.Delta;

/// <summary>Names of files under <c>_delta_log/</c>: 20-digit zero-padded commit versions.</summary>
public static class LogFileNames
{
    public const string LogDir = "_delta_log/";

    /// <summary>The store key of the commit file for <paramref name="version"/>.</summary>
    public static string Commit(long version) =>
        LogDir + version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    /// <summary>The version of a commit file key such as <c>_delta_log/00000000000000000007.json</c>, or null.</summary>
    public static long? ParseCommitVersion(string key)
    {
        if (!key.StartsWith(LogDir, StringComparison.Ordinal) || !key.EndsWith(".json", StringComparison.Ordinal))
            return null;
        var digits = key.AsSpan(LogDir.Length, key.Length - LogDir.Length - ".json".Length);
        if (digits.Length != 20)
            return null;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
                return null;
        }
        return long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
