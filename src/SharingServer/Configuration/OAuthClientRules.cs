namespace ReplicaSync.SharingServer;

/// <summary>Checks the <c>oauthClients</c> section and names every problem by its JSON path.</summary>
internal static class OAuthClientRules
{
    public static void Check(List<OAuthClientConfig>? clients, Action<string, string> add)
    {
        if (clients is null)
        {
            add("oauthClients", "must be a list");
            return;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clients.Count; i++)
        {
            var path = $"oauthClients[{i}]";
            if (clients[i] is not { } client)
            {
                add(path, "must be an object");
                continue;
            }
            if (string.IsNullOrEmpty(client.ClientId) || client.ClientId.Any(char.IsControl))
                add($"{path}.clientId", "is required and must hold no control characters");
            else if (!ids.Add(client.ClientId))
                add($"{path}.clientId", $"duplicate client id '{client.ClientId}'");
            if (client.ClientSecret is null == client.ClientSecretSha256 is null)
                add($"{path}.clientSecret", "give exactly one of clientSecret and clientSecretSha256");
            else if (client.ClientSecret is { Length: 0 })
                add($"{path}.clientSecret", "must not be empty");
            else if (client.ClientSecretSha256 is { } hash && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit)))
                add($"{path}.clientSecretSha256", "must be 64 hexadecimal digits (the SHA-256 of the secret's UTF-8 bytes)");
            if (client.TokenLifetimeSeconds <= 0)
                add($"{path}.tokenLifetimeSeconds", "must be positive");
        }
    }
}
