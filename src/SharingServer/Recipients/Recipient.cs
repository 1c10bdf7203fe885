namespace ReplicaSync.SharingServer;

/// <summary>Who a request acts for: the name audit lines show, and the shares it may see (null: every share).</summary>
internal sealed class Recipient(string name, IEnumerable<string>? shares)
{
    private readonly HashSet<string>? _shares = shares is null ? null : new HashSet<string>(shares, StringComparer.OrdinalIgnoreCase);

    public string Name { get; } = name;

    /// <summary>True when the share (any case) is granted to this recipient.</summary>
    public bool Sees(string share) => _shares is null || _shares.Contains(share);
}
