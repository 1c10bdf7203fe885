using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>A real server on 127.0.0.1:0 plus an authenticated HttpClient and helpers to read its responses.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Token = "test-token-1";
    public const string Share = "share1";
    public const string Schema = "default";

    /// <summary>The shared delta-rs tables served in place, by the table name used in the config.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tables = new Dictionary<string, string>
    {
        ["simple_table"] = "simple_table",
        ["delta_0_8_0"] = "delta-0.8.0",
        ["partitioned"] = "delta-0.8.0-partitioned",
        ["special_partition"] = "delta-0.8.0-special-partition",
        ["simple_checkpoint"] = "simple_table_with_checkpoint",
        ["python_checkpoint"] = "python-0.25.5-checkpoint",
        ["dv_small"] = "table-with-dv-small",
        ["cdf"] = "cdf-table",
        ["column_mapping"] = "table_with_column_mapping",
    };

    internal TestServer(SharingServerHost host, SharingServerConfig config)
    {
        Host = host;
        Config = config;
        Http = new HttpClient();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public SharingServerHost Host { get; }
    public SharingServerConfig Config { get; }
    public HttpClient Http { get; }
    public string Base => Host.Endpoint.ToString().TrimEnd('/');

    /// <summary>A config sharing every test table in share1.default, plus simple_table without history in share1.nohistory.</summary>
    public static SharingServerConfig DefaultConfig() => new()
    {
        BearerTokens = [Token, "test-token-2"],
        Shares =
        [
            new ShareConfig
            {
                Name = Share,
                Schemas =
                [
                    new SchemaConfig
                    {
                        Name = Schema,
                        Tables = Tables.Select(t => new TableConfig { Name = t.Key, Location = TestPaths.Table(t.Value) }).ToList(),
                    },
                    new SchemaConfig
                    {
                        Name = "nohistory",
                        Tables = [new TableConfig { Name = "simple_table", Location = TestPaths.Table("simple_table"), HistoryShared = false }],
                    },
                ],
            },
            new ShareConfig
            {
                Name = "share2",
                Schemas = [new SchemaConfig { Name = "s2", Tables = [new TableConfig { Name = "t2", Location = TestPaths.Table("simple_table") }] }],
            },
        ],
    };

    /// <summary>A config with one table <c>share1.default.t</c> at <paramref name="location"/>.</summary>
    public static SharingServerConfig SingleTable(string location) => new()
    {
        BearerTokens = [Token],
        Shares = [new ShareConfig { Name = Share, Schemas = [new SchemaConfig { Name = Schema, Tables = [new TableConfig { Name = "t", Location = location }] }] }],
    };

    public static async Task<TestServer> StartAsync(SharingServerConfig? config = null)
    {
        config ??= DefaultConfig();
        return new TestServer(await SharingServerHost.StartAsync(config), config);
    }

    public string TableUrl(string table, string share = Share, string schema = Schema) =>
        $"{Base}/shares/{share}/schemas/{schema}/tables/{table}";

    public Task<HttpResponseMessage> GetAsync(string relative) => Http.GetAsync(Base + relative);

    public Task<HttpResponseMessage> QueryAsync(string table, object body, string? capabilities = null, string? fileIdHash = null, string schema = Schema) =>
        QueryRawAsync(table, JsonSerializer.Serialize(body), capabilities, fileIdHash, schema);

    public Task<HttpResponseMessage> QueryRawAsync(string table, string json, string? capabilities = null, string? fileIdHash = null, string schema = Schema)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TableUrl(table, schema: schema) + "/query")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (capabilities is not null)
            request.Headers.Add("delta-sharing-capabilities", capabilities);
        if (fileIdHash is not null)
            request.Headers.Add("fileidhash", fileIdHash);
        return Http.SendAsync(request);
    }

    /// <summary>Runs a query that must succeed and returns its lines.</summary>
    public async Task<List<JsonElement>> QueryLinesAsync(string table, object body, string? capabilities = null, string? fileIdHash = null)
    {
        using var response = await QueryAsync(table, body, capabilities, fileIdHash);
        return await LinesAsync(response);
    }

    public static async Task<List<JsonElement>> LinesAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/x-ndjson; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.EndsWith("\n", text);
        var lines = text.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        foreach (var line in lines)
            Assert.Single(line.EnumerateObject());
        return lines;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an error response: status, JSON content type and errorCode.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, int status, string? errorCode = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var body = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        if (errorCode is not null)
            Assert.Equal(errorCode, body.GetProperty("errorCode").GetString());
        Assert.DoesNotContain(Token, text);
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public static IEnumerable<JsonElement> Wrapped(IEnumerable<JsonElement> lines, string key) =>
        lines.Where(l => l.TryGetProperty(key, out _)).Select(l => l.GetProperty(key));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
