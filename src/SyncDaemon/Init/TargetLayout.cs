namespace ReplicaSync.Daemon.Init;

/// <summary>
/// Where <c>replicasync init</c> puts each table's replica: <c>&lt;root&gt;/&lt;share&gt;/&lt;schema&gt;/&lt;table&gt;</c>.
/// Provider names become single path segments: percent-escaped, with <c>.</c> and <c>..</c> escaped too, so no name
/// can climb out of the root or add a level.
/// </summary>
public sealed class TargetLayout
{
    private static readonly string[] UrlSchemes = ["file", "s3", "az", "abfss", "https", "gs"];

    private readonly string _root;
    private readonly bool _isUrl;

    /// <summary>
    /// <paramref name="root"/> is a directory (made relative to <paramref name="configDirectory"/>, as the daemon resolves
    /// relative paths from its config file's folder) or a <c>file://</c>, <c>s3://</c>, <c>az://</c>, <c>abfss://</c>,
    /// <c>https://</c> (Azure) or <c>gs://</c> URL.
    /// </summary>
    public TargetLayout(string root, string configDirectory)
    {
        if (string.IsNullOrWhiteSpace(root))
            throw new ArgumentException("--target-root: give a directory or an s3://, az://, gs:// URL");
        var scheme = root.IndexOf("://", StringComparison.Ordinal);
        _isUrl = scheme > 0;
        if (_isUrl && !UrlSchemes.Contains(root[..scheme], StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"--target-root: scheme '{root[..scheme]}://' is not supported (a directory, file://, s3://, az://, abfss://, https:// or gs://)");
        if (_isUrl && root.IndexOfAny(['?', '#']) >= 0)
            throw new ArgumentException("--target-root: the URL must not have a query string or fragment");
        _root = _isUrl ? root.TrimEnd('/') : Path.GetRelativePath(configDirectory, Path.GetFullPath(root));
    }

    /// <summary>The target of one table.</summary>
    public string For(string share, string schema, string table)
    {
        string[] segments = [Segment(share), Segment(schema), Segment(table)];
        return _isUrl ? _root + "/" + string.Join('/', segments) : Path.Combine([_root, .. segments]);
    }

    /// <summary>One path segment for a provider name; distinct names stay distinct.</summary>
    public static string Segment(string name) => Uri.EscapeDataString(name) switch
    {
        "" => "%00",
        "." => "%2E",
        ".." => "%2E%2E",
        var escaped => escaped,
    };
}
