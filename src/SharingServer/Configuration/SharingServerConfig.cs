using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReplicaSync.SharingServer;

/// <summary>The sharing server's configuration, read from a camelCase JSON file.</summary>
public sealed class SharingServerConfig
{
    /// <summary>The longest URL lifetime: 7 days, the most S3 and GCS sign for.</summary>
    public const int MaxUrlLifetimeSeconds = 7 * 24 * 3600;

    public List<ShareConfig> Shares { get; set; } = [];
    /// <summary>Tokens of a recipient granted every share (the simple form of <see cref="Recipients"/>).</summary>
    public List<string> BearerTokens { get; set; } = [];
    /// <summary>Named recipients, each with its token, expiry and granted shares.</summary>
    public List<RecipientConfig> Recipients { get; set; } = [];
    /// <summary>Clients that obtain short-lived tokens at <c>POST {pathPrefix}/oauth/token</c> (client-credentials grant).</summary>
    [JsonPropertyName("oauthClients")]
    public List<OAuthClientConfig> OAuthClients { get; set; } = [];
    public string PathPrefix { get; set; } = "/delta-sharing";
    /// <summary>Lifetime of file URLs, signed by this server or pre-signed by the table's store (at most 7 days, the S3 and GCS limit).</summary>
    public int UrlLifetimeSeconds { get; set; } = 3600;
    /// <summary>Largest request body accepted (413 beyond); query bodies are small JSON objects.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;
    /// <summary>Key for signed URLs and tokens; a random key per process when null, so URLs die with the process.</summary>
    public string? SigningKey { get; set; }
    /// <summary>Default and maximum <c>maxResults</c> of list endpoints.</summary>
    public int MaxPageSize { get; set; } = 500;
    /// <summary>Upper bound on <c>maxFiles</c> of a query page (the reference server's page size limit).</summary>
    public int MaxFilesPerPage { get; set; } = 10000;
    /// <summary>Lifetime of query refresh tokens.</summary>
    public int RefreshTokenLifetimeSeconds { get; set; } = 3600;
    /// <summary>Lifetime of query page tokens.</summary>
    public int PageTokenLifetimeSeconds { get; set; } = 3 * 24 * 3600;
    public FaultConfig? Faults { get; set; }

    /// <summary>
    /// Reads and validates a config file. Relative local table locations are resolved against the file's directory.
    /// Throws <see cref="SharingConfigException"/> listing every problem with its JSON path.
    /// </summary>
    public static SharingServerConfig Load(string path)
    {
        var full = Path.GetFullPath(path);
        SharingServerConfig? config;
        try
        {
            using var stream = File.OpenRead(full);
            config = JsonSerializer.Deserialize(stream, SharingServerJsonContext.Default.SharingServerConfig);
        }
        catch (JsonException e)
        {
            throw new SharingConfigException([$"{ConfigValidator.DisplayPath(e.Path)}: {WithoutPosition(e.Message)}"]);
        }
        catch (IOException e)
        {
            throw new SharingConfigException([$"{full}: {e.Message}"]);
        }
        if (config is null)
            throw new SharingConfigException(["$: the configuration must be a JSON object"]);
        config.ResolveLocations(Path.GetDirectoryName(full)!);
        config.Validate();
        return config;
    }

    /// <summary>Throws <see cref="SharingConfigException"/> listing every problem with its JSON path.</summary>
    public void Validate()
    {
        var problems = ConfigValidator.Check(this);
        if (problems.Count > 0)
            throw new SharingConfigException(problems);
    }

    /// <summary>A deep copy, so a running server is not affected by later edits of the caller's object.</summary>
    internal SharingServerConfig Copy() =>
        JsonSerializer.Deserialize(
            JsonSerializer.SerializeToUtf8Bytes(this, SharingServerJsonContext.Default.SharingServerConfig),
            SharingServerJsonContext.Default.SharingServerConfig)!;

    /// <summary>The prefix with a leading '/' and no trailing '/'; empty for the root.</summary>
    internal string NormalizedPrefix => PathPrefix.Trim('/') is { Length: > 0 } p ? "/" + p : "";

    private void ResolveLocations(string baseDir)
    {
        foreach (var share in Shares ?? [])
            foreach (var schema in share?.Schemas ?? [])
                foreach (var table in schema?.Tables ?? [])
                {
                    if (table is not null && !string.IsNullOrWhiteSpace(table.Location) && !table.Location.Contains("://", StringComparison.Ordinal))
                        table.Location = Path.GetFullPath(Path.Combine(baseDir, table.Location));
                }
    }

    // System.Text.Json appends "Path: … | LineNumber: …"; the path is already shown in front.
    private static string WithoutPosition(string message) =>
        message.IndexOf(" Path: ", StringComparison.Ordinal) is >= 0 and var i ? message[..i] : message;
}
