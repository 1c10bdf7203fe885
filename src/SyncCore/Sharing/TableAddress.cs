namespace ReplicaSync.Sharing;

/// <summary>A shared table as the user names it: <c>&lt;profile-path&gt;#&lt;share&gt;.&lt;schema&gt;.&lt;table&gt;</c>.</summary>
public sealed record TableAddress(string ProfilePath, string Share, string Schema, string Table)
{
    /// <summary>Parses the address, splitting at the last '#' so profile paths may contain '#'; throws <see cref="FormatException"/>.</summary>
    public static TableAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = text.LastIndexOf('#');
        if (hash < 0)
            throw new FormatException($"table address '{text}' must look like <profile-file>#<share>.<schema>.<table> (no '#' found)");
        var profile = text[..hash];
        var names = text[(hash + 1)..].Split('.');
        if (profile.Length == 0)
            throw new FormatException($"table address '{text}' has no profile file before '#'");
        if (names.Length != 3 || names.Any(n => n.Length == 0))
            throw new FormatException(
                $"table address '{text}' must name exactly <share>.<schema>.<table> after the last '#', three non-empty names separated by '.'");
        return new TableAddress(profile, names[0], names[1], names[2]);
    }

    /// <summary><c>share.schema.table</c>.</summary>
    public string QualifiedName => $"{Share}.{Schema}.{Table}";

    /// <summary>The address in the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => $"{ProfilePath}#{QualifiedName}";
}
