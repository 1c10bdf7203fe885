using System.Text;

namespace ReplicaSync.Daemon.Init;

/// <summary>
/// Config keys for tables: <c>share.schema.table</c> with every character the daemon does not allow in a key (it
/// allows letters, digits, '_', '-' and '.', up to 100) replaced by '_', made unique with a <c>-2</c>, <c>-3</c>… suffix.
/// </summary>
public sealed class TableKeys
{
    private const int MaxLength = 100;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public string Next(string share, string schema, string table)
    {
        var key = Clean($"{share}.{schema}.{table}");
        var candidate = key;
        for (var n = 2; !_used.Add(candidate); n++)
        {
            var suffix = $"-{n}";
            candidate = key[..Math.Min(key.Length, MaxLength - suffix.Length)] + suffix;
        }
        return candidate;
    }

    private static string Clean(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        return text.Length > MaxLength ? text.ToString(0, MaxLength) : text.ToString();
    }
}
