using System.Security.Cryptography;
using System.Text;

namespace ReplicaSync.SharingServer;

/// <summary>Checks a <see cref="SharingServerConfig"/> and names every problem by its JSON path.</summary>
internal static class ConfigValidator
{
    public static List<string> Check(SharingServerConfig config)
    {
        var problems = new List<string>();
        void Add(string path, string message) => problems.Add($"{path}: {message}");

        if (config.BearerTokens is null
            || (config.BearerTokens.Count == 0 && config.OAuthClients is not { Count: > 0 } && config.Recipients is not { Count: > 0 }))
            Add("bearerTokens", "at least one token is required");
        else
        {
            for (var i = 0; i < config.BearerTokens.Count; i++)
            {
                var token = config.BearerTokens[i];
                if (string.IsNullOrEmpty(token) || token.Any(char.IsWhiteSpace))
                    Add($"bearerTokens[{i}]", "a token must be non-empty and contain no whitespace");
            }
        }
        if (config.PathPrefix is null || config.PathPrefix.IndexOfAny(['?', '#', '{', '}', '%', ' ', '\\']) >= 0)
            Add("pathPrefix", "must be a plain URL path such as /delta-sharing");
        if (config.UrlLifetimeSeconds is <= 0 or > SharingServerConfig.MaxUrlLifetimeSeconds)
            Add("urlLifetimeSeconds", $"must be from 1 to {SharingServerConfig.MaxUrlLifetimeSeconds} (7 days, the longest S3 and GCS sign for)");
        if (config.MaxRequestBodyBytes <= 0)
            Add("maxRequestBodyBytes", "must be positive");
        if (config.MaxPageSize <= 0)
            Add("maxPageSize", "must be positive");
        if (config.MaxFilesPerPage <= 0)
            Add("maxFilesPerPage", "must be positive");
        if (config.RefreshTokenLifetimeSeconds <= 0)
            Add("refreshTokenLifetimeSeconds", "must be positive");
        if (config.PageTokenLifetimeSeconds <= 0)
            Add("pageTokenLifetimeSeconds", "must be positive");
        if (config.SigningKey is { Length: < 16 })
            Add("signingKey", "must be at least 16 characters when set");
        OAuthClientRules.Check(config.OAuthClients, Add);
        RecipientRules.Check(config, Add);
        CheckShares(config, Add);
        CheckFaults(config.Faults, Add);
        return problems;
    }

    /// <summary>Turns System.Text.Json's <c>$.shares[0].name</c> into <c>shares[0].name</c>.</summary>
    public static string DisplayPath(string? jsonPath) => jsonPath switch
    {
        null or "" or "$" => "$",
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ => jsonPath,
    };

    /// <summary>A stable UUID-shaped id for an object without a configured one.</summary>
    public static string DerivedId(string kind, params string[] names)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + string.Join("/", names).ToLowerInvariant()));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static void CheckShares(SharingServerConfig config, Action<string, string> add)
    {
        if (config.Shares is null)
        {
            add("shares", "must be a list");
            return;
        }
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var shareNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var s = 0; s < config.Shares.Count; s++)
        {
            var sp = $"shares[{s}]";
            if (config.Shares[s] is not { } share)
            {
                add(sp, "must be an object");
                continue;
            }
            CheckName(share.Name, allowDot: true, $"{sp}.name", shareNames, add);
            CheckId(share.Id, $"{sp}.id", ids, add);
            if (share.Schemas is null)
            {
                add($"{sp}.schemas", "must be a list");
                continue;
            }
            var schemaNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var c = 0; c < share.Schemas.Count; c++)
            {
                var cp = $"{sp}.schemas[{c}]";
                if (share.Schemas[c] is not { } schema)
                {
                    add(cp, "must be an object");
                    continue;
                }
                CheckName(schema.Name, allowDot: false, $"{cp}.name", schemaNames, add);
                if (schema.Tables is null)
                {
                    add($"{cp}.tables", "must be a list");
                    continue;
                }
                var tableNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var t = 0; t < schema.Tables.Count; t++)
                {
                    var tp = $"{cp}.tables[{t}]";
                    if (schema.Tables[t] is not { } table)
                    {
                        add(tp, "must be an object");
                        continue;
                    }
                    CheckName(table.Name, allowDot: false, $"{tp}.name", tableNames, add);
                    CheckId(table.Id, $"{tp}.id", ids, add);
                    var remote = TableLocation.IsStoreAddress(table.Location);
                    if (string.IsNullOrWhiteSpace(table.Location))
                        add($"{tp}.location", "is required");
                    else if (TableLocation.Problem(table.Location) is { } problem)
                        add($"{tp}.location", problem);
                    if (remote && table.FileUrlBase is not null)
                        add($"{tp}.fileUrlBase", "applies to local tables only: a store's tables get URLs pre-signed by the store");
                    else if (table.FileUrlBase is { } fileUrlBase
                        && (!Uri.TryCreate(fileUrlBase, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
                        add($"{tp}.fileUrlBase", "must be an absolute http(s) URL");
                }
            }
        }
    }

    // Protocol rule: ≤255 chars, no space, '/', control chars or DEL; schema and table names also no '.'.
    private static void CheckName(string? name, bool allowDot, string path, HashSet<string> seen, Action<string, string> add)
    {
        if (string.IsNullOrEmpty(name))
            add(path, "is required");
        else if (name.Length > 255 || name.Any(c => c is ' ' or '/' or '\u007f' || char.IsControl(c) || (!allowDot && c == '.')))
            add(path, allowDot
                ? "must be at most 255 characters without spaces, '/' or control characters"
                : "must be at most 255 characters without spaces, '/', '.' or control characters");
        else if (!seen.Add(name))
            add(path, $"duplicate name '{name}' (names are case-insensitive)");
    }

    private static void CheckId(string? id, string path, Dictionary<string, string> seen, Action<string, string> add)
    {
        if (id is null)
            return;
        if (id.Trim().Length == 0)
            add(path, "must not be blank");
        else if (!seen.TryAdd(id, path))
            add(path, $"duplicate id (also used by {seen[id]})");
    }

    private static void CheckFaults(FaultConfig? faults, Action<string, string> add)
    {
        if (faults is null)
            return;
        if (faults.Rules is null)
        {
            add("faults.rules", "must be a list");
            return;
        }
        if (faults.UrlExpirySeconds is <= 0)
            add("faults.urlExpirySeconds", "must be positive (omit it to turn URL expiry off)");
        for (var i = 0; i < faults.Rules.Count; i++)
        {
            if (FaultState.Problem(faults.Rules[i]) is { } problem)
                add($"faults.rules[{i}]", problem);
        }
    }
}
