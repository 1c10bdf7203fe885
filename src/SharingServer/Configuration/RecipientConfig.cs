namespace ReplicaSync.SharingServer;

/// <summary>
/// A recipient, as providers model them: a name, one bearer token (in clear, or as the hex SHA-256 of its UTF-8 bytes
/// to keep it out of the config file), an optional expiry, and the shares granted to it. It sees nothing else.
/// </summary>
public sealed class RecipientConfig
{
    public string Name { get; set; } = "";
    public string? Token { get; set; }
    public string? TokenSha256 { get; set; }
    /// <summary>When the token stops being accepted (ISO-8601 with offset); null for never.</summary>
    public DateTimeOffset? Expires { get; set; }
    /// <summary>Names of the shares this recipient may list and read.</summary>
    public List<string> Shares { get; set; } = [];
}
