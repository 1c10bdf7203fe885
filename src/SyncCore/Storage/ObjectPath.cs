namespace ReplicaSync.Storage;

/// <summary>Validates store keys: relative, '/'-separated, no empty, '.' or '..' segments, no control characters.</summary>
public static class ObjectPath
{
    /// <summary>Returns the key unchanged, or throws <see cref="ArgumentException"/> saying why it is unsafe.</summary>
    public static string Validate(string path)
    {
        if (string.IsNullOrEmpty(path))
            throw new ArgumentException("an object key must not be empty");
        if (path[0] == '/' || path.Contains('\\'))
            throw new ArgumentException($"object key '{path}' must be relative and use '/' separators");
        foreach (var range in path.AsSpan().Split('/'))
        {
            if (path.AsSpan(range) is "" or "." or "..")
                throw new ArgumentException($"object key '{path}' has an empty, '.' or '..' segment");
        }
        foreach (var c in path)
        {
            if (char.IsControl(c))
                throw new ArgumentException($"object key '{path}' contains a control character");
        }
        return path;
    }

    /// <summary>The bucket and prefix (without trailing '/') of <c>{scheme}bucket/prefix</c>; throws when the bucket is empty.</summary>
    internal static (string Bucket, string Prefix) SplitBucketAddress(string address, string scheme)
    {
        var rest = address[scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0)
            throw new ArgumentException($"'{address}' has no bucket name");
        return (bucket, slash < 0 ? "" : rest[(slash + 1)..].TrimEnd('/'));
    }

    /// <summary>Joins a prefix and a key with exactly one '/'.</summary>
    public static string Join(string prefix, string path) =>
        prefix.Length == 0 ? path : prefix.TrimEnd('/') + "/" + path;
}
