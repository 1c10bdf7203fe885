using ReplicaSync.TestSupport;

namespace ReplicaSync.SharingServer.Tests;

public sealed class ConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new("sharing-config");

    [Fact]
    public void LoadResolvesLocationsAgainstTheConfigFileDirectory()
    {
        var relative = Path.GetRelativePath(_dir.Path, TestPaths.Table("simple_table"));
        var path = Write($$"""
            {
              // comments and trailing commas are tolerated
              "bearerTokens": ["abc"],
              "pathPrefix": "/sharing",
              "urlLifetimeSeconds": 60,
              "maxPageSize": 10,
              "shares": [{ "name": "s", "schemas": [{ "name": "d", "tables": [
                { "name": "t", "location": "{{relative.Replace("\\", "/")}}", "historyShared": false, "id": "tid" },
              ] }] }],
              "faults": { "rules": [{ "match": "file", "truncateAfterBytes": 5, "times": 1 }] }
            }
            """);
        var config = SharingServerConfig.Load(path);
        var table = config.Shares[0].Schemas[0].Tables[0];
        Assert.Equal(TestPaths.Table("simple_table"), table.Location);
        Assert.False(table.HistoryShared);
        Assert.Equal("tid", table.Id);
        Assert.Equal(60, config.UrlLifetimeSeconds);
        Assert.Equal(10, config.MaxPageSize);
        Assert.Equal(FaultMatch.File, config.Faults!.Rules[0].Match);
    }

    [Fact]
    public void EveryProblemIsReportedWithItsJsonPath()
    {
        var ok = TestPaths.Table("simple_table").Replace("\\", "/");
        var path = Write($$"""
            {
              "bearerTokens": [],
              "maxPageSize": 0,
              "shares": [
                { "name": "s", "schemas": [
                  { "name": "a", "tables": [{ "name": "t", "location": "{{ok}}" }] },
                  { "name": "b.c", "tables": [{ "name": "t", "location": "no/such/dir" }, { "name": "T", "location": "{{ok}}" }] }
                ] },
                { "name": "S", "schemas": [] }
              ],
              "faults": { "rules": [{ "match": "query", "status": 200 }] }
            }
            """);
        var e = Assert.Throws<SharingConfigException>(() => SharingServerConfig.Load(path));
        Assert.Contains("bearerTokens: at least one token is required", e.Problems);
        Assert.Contains("maxPageSize: must be positive", e.Problems);
        Assert.Contains("shares[0].schemas[1].name: must be at most 255 characters without spaces, '/', '.' or control characters", e.Problems);
        Assert.Contains("shares[0].schemas[1].tables[0].location: directory not found", e.Problems);
        Assert.Contains("shares[0].schemas[1].tables[1].name: duplicate name 'T' (names are case-insensitive)", e.Problems);
        Assert.Contains("shares[1].name: duplicate name 'S' (names are case-insensitive)", e.Problems);
        Assert.Contains("faults.rules[0]: status must be between 400 and 599", e.Problems);
        Assert.Equal(7, e.Problems.Count);
    }

    [Fact]
    public void OAuthClientsAreReadAndTheirProblemsNamedByKey()
    {
        var good = SharingServerConfig.Load(Write("""
            { "oauthClients": [{ "clientId": "p", "clientSecret": "s", "tokenLifetimeSeconds": 60 }], "shares": [] }
            """));
        Assert.Empty(good.BearerTokens);
        Assert.Equal(60, Assert.Single(good.OAuthClients).TokenLifetimeSeconds);

        var e = Assert.Throws<SharingConfigException>(() => SharingServerConfig.Load(Write("""
            { "bearerTokens": ["a"], "shares": [], "oauthClients": [
              { "clientId": "p", "clientSecret": "s", "clientSecretSha256": "00" },
              { "clientId": "p", "tokenLifetimeSeconds": 0 },
              { "clientId": "", "clientSecretSha256": "xyz" },
              { "clientId": "q", "clientSecret": "" }
            ] }
            """)));
        Assert.Equal(
        [
            "oauthClients[0].clientSecret: give exactly one of clientSecret and clientSecretSha256",
            "oauthClients[1].clientId: duplicate client id 'p'",
            "oauthClients[1].clientSecret: give exactly one of clientSecret and clientSecretSha256",
            "oauthClients[1].tokenLifetimeSeconds: must be positive",
            "oauthClients[2].clientId: is required and must hold no control characters",
            "oauthClients[2].clientSecretSha256: must be 64 hexadecimal digits (the SHA-256 of the secret's UTF-8 bytes)",
            "oauthClients[3].clientSecret: must not be empty",
        ], e.Problems);
    }

    [Theory]
    [InlineData("""{"bearerTokens":["a"],"shares":[{"name":"s","schemas":[{"name":"d","tables":[{"name":"t","locaton":"x"}]}]}]}""", "shares[0].schemas[0].tables[0].locaton")]
    [InlineData("""{"bearerTokens":["a"],"maxPageSize":"many"}""", "maxPageSize")]
    [InlineData("""{"bearerTokens":["a"],"faults":{"rules":[{"match":"sometimes","status":500}]}}""", "faults.rules[0].match")]
    [InlineData("""{"bearerTokens":["a"],"shares":[{"name":"s","schemas":[{"name":"d","tables":[{"name":"t","location":"x",}]}]""", "shares[0]")]
    public void JsonErrorsNameTheirPath(string json, string expectedPath)
    {
        var e = Assert.Throws<SharingConfigException>(() => SharingServerConfig.Load(Write(json)));
        Assert.StartsWith(expectedPath, Assert.Single(e.Problems));
    }

    [Fact]
    public void ValidateChecksAProgrammaticConfig()
    {
        var config = TestServer.DefaultConfig();
        config.Validate();
        config.Shares[0].Schemas[0].Tables[0].Name = "has space";
        config.PathPrefix = "/bad?prefix";
        var e = Assert.Throws<SharingConfigException>(config.Validate);
        Assert.Contains("pathPrefix: must be a plain URL path such as /delta-sharing", e.Problems);
        Assert.Contains(e.Problems, p => p.StartsWith("shares[0].schemas[0].tables[0].name:", StringComparison.Ordinal));
    }

    private string Write(string json)
    {
        var path = _dir.Combine("config.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => _dir.Dispose();
}
