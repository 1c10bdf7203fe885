using System.Text.RegularExpressions;

namespace ReplicaSync.Daemon.Init;

/// <summary>
/// The <c>--tables</c> filter of <c>replicasync init</c>: comma-separated globs over <c>share.schema.table</c>, where
/// <c>*</c> matches any run of characters and <c>?</c> one; case-insensitive, as share and table names are.
/// </summary>
public sealed class TableGlob
{
    private readonly Regex[] _patterns;

    public TableGlob(string globs)
    {
        ArgumentNullException.ThrowIfNull(globs);
        var parts = globs.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw new ArgumentException("--tables: give at least one pattern such as 'sales.*.*' or '*'");
        _patterns = parts.Select(p => new Regex(
            "^" + Regex.Escape(p).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)).ToArray();
        Text = string.Join(',', parts);
    }

    /// <summary>The patterns as given, for messages.</summary>
    public string Text { get; }

    public bool Matches(string qualifiedName) => _patterns.Any(p => p.IsMatch(qualifiedName));
}
