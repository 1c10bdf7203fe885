using System.Net;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>Faults for load trials: rules that fire at random from a seed, connection resets, and file URLs that expire early.</summary>
public sealed class RandomFaultTests
{
    [Fact]
    public async Task A_random_rule_fires_on_the_same_requests_for_the_same_seed_and_on_others_for_another()
    {
        var first = await VersionStatusesAsync(seed: 11);
        var again = await VersionStatusesAsync(seed: 11);
        var other = await VersionStatusesAsync(seed: 12);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Contains(503, first);
        Assert.Contains(200, first);
        Assert.All(first, s => Assert.True(s is 200 or 503));
    }

    [Fact]
    public async Task A_reset_rule_drops_the_connection_without_an_answer_and_is_counted()
    {
        var config = TestServer.DefaultConfig();
        config.Faults = new FaultConfig { Rules = [new FaultRule { Match = FaultMatch.Version, ResetConnection = true, Times = 1 }] };
        await using var server = await TestServer.StartAsync(config);

        await Assert.ThrowsAsync<HttpRequestException>(() => server.Http.GetAsync(server.TableUrl("simple_table") + "/version"));
        using (var ok = await server.Http.GetAsync(server.TableUrl("simple_table") + "/version"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, server.Host.Faults.InjectedCount);
        Assert.Equal(2, server.Host.Faults.RequestCount(RequestKind.Version));
    }

    [Fact]
    public async Task A_file_url_older_than_the_expiry_is_refused_although_its_announced_expiry_is_later()
    {
        await using var server = await TestServer.StartAsync();
        var file = TestServer.Wrapped(await server.QueryLinesAsync("simple_table", new { }), "file").First();
        var url = file.GetProperty("url").GetString()!;
        Assert.True(file.GetProperty("expirationTimestamp").GetInt64() > DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeMilliseconds());
        using var anonymous = new HttpClient();

        using (var fresh = await anonymous.GetAsync(url))
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        server.Host.Faults.UrlExpiry = TimeSpan.Zero;
        await TestServer.AssertErrorAsync(await anonymous.GetAsync(url), 403);
        server.Host.Faults.UrlExpiry = TimeSpan.FromHours(1);
        using (var young = await anonymous.GetAsync(url))
            Assert.Equal(HttpStatusCode.OK, young.StatusCode);

        Assert.Equal(1, server.Host.Faults.ExpiredUrlCount);
    }

    [Theory]
    [InlineData(0.0, null, "probability must be above 0")]
    [InlineData(1.5, null, "probability must be above 0")]
    [InlineData(null, false, "resetConnection can only be true")]
    public void Inconsistent_random_or_reset_rules_are_rejected(double? probability, bool? reset, string message)
    {
        var state = new FaultState(null);
        var e = Assert.Throws<ArgumentException>(() => state.Add(new FaultRule { Status = reset is null ? 500 : null, ResetConnection = reset, Probability = probability }));
        Assert.Contains(message, e.Message);
        Assert.Throws<ArgumentException>(() => state.Add(new FaultRule { Status = 500, ResetConnection = true }));
    }

    [Fact]
    public void A_non_positive_url_expiry_is_named_in_the_configuration_problems()
    {
        var config = TestServer.DefaultConfig();
        config.Faults = new FaultConfig { UrlExpirySeconds = 0 };
        var e = Assert.Throws<SharingConfigException>(config.Validate);
        Assert.Contains("faults.urlExpirySeconds: must be positive (omit it to turn URL expiry off)", e.Problems);
    }

    private static async Task<List<int>> VersionStatusesAsync(int seed)
    {
        var config = TestServer.DefaultConfig();
        config.Faults = new FaultConfig { Seed = seed, Rules = [new FaultRule { Match = FaultMatch.Version, Status = 503, Probability = 0.5 }] };
        await using var server = await TestServer.StartAsync(config);
        var statuses = new List<int>();
        for (var i = 0; i < 24; i++)
        {
            using var response = await server.Http.GetAsync(server.TableUrl("simple_table") + "/version");
            statuses.Add((int)response.StatusCode);
        }
        Assert.Equal(statuses.Count(s => s == 503), server.Host.Faults.InjectedCount);
        return statuses;
    }
}
