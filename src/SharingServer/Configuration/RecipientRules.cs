namespace ReplicaSync.SharingServer;

/// <summary>Checks the <c>recipients</c> section (and the recipients OAuth clients name) and names every problem by its JSON path.</summary>
internal static class RecipientRules
{
    public static void Check(SharingServerConfig config, Action<string, string> add)
    {
        if (config.Recipients is not { } recipients)
        {
            add("recipients", "must be a list");
            return;
        }
        var shares = new HashSet<string>((config.Shares ?? []).Where(s => s is not null).Select(s => s.Name), StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < recipients.Count; i++)
        {
            var path = $"recipients[{i}]";
            if (recipients[i] is not { } recipient)
            {
                add(path, "must be an object");
                continue;
            }
            if (string.IsNullOrEmpty(recipient.Name) || recipient.Name.Length > 255 || recipient.Name.Any(char.IsControl))
                add($"{path}.name", "is required: at most 255 characters, no control characters");
            else if (!names.Add(recipient.Name))
                add($"{path}.name", $"duplicate recipient '{recipient.Name}'");
            if (recipient.Token is null == recipient.TokenSha256 is null)
                add($"{path}.token", "give exactly one of token and tokenSha256");
            else if (recipient.Token is { } token && (token.Length == 0 || token.Any(char.IsWhiteSpace)))
                add($"{path}.token", "must be non-empty and contain no whitespace");
            else if (recipient.TokenSha256 is { } hash && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit)))
                add($"{path}.tokenSha256", "must be 64 hexadecimal digits (the SHA-256 of the token's UTF-8 bytes)");
            if (recipient.Shares is null)
            {
                add($"{path}.shares", "must be a list of share names");
                continue;
            }
            for (var s = 0; s < recipient.Shares.Count; s++)
            {
                if (recipient.Shares[s] is not { } share || !shares.Contains(share))
                    add($"{path}.shares[{s}]", $"'{recipient.Shares[s]}' is not a configured share");
            }
        }
        for (var i = 0; i < (config.OAuthClients?.Count ?? 0); i++)
        {
            if (config.OAuthClients![i]?.Recipient is { } named && !names.Contains(named))
                add($"oauthClients[{i}].recipient", $"'{named}' is not a configured recipient");
        }
    }
}
