using System.Net;

namespace ReplicaSync.SharingServer.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task ConfiguredRuleFailsTwoQueriesThenLetsThemThrough()
    {
        var config = TestServer.DefaultConfig();
        config.Faults = new FaultConfig { Rules = [new FaultRule { Match = FaultMatch.Query, Status = 500, Times = 2 }] };
        await using var server = await TestServer.StartAsync(config);

        using (var version = await server.Http.GetAsync(server.TableUrl("simple_table") + "/version"))
            Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        await TestServer.AssertErrorAsync(await server.QueryAsync("simple_table", new { }), 500, "INTERNAL_ERROR");
        await TestServer.AssertErrorAsync(await server.QueryAsync("simple_table", new { }), 500, "INTERNAL_ERROR");
        Assert.NotEmpty(await server.QueryLinesAsync("simple_table", new { }));

        Assert.Equal(3, server.Host.Faults.RequestCount(RequestKind.Query));
        Assert.Equal(1, server.Host.Faults.RequestCount(RequestKind.Version));
        Assert.Equal(0, server.Host.Faults.RequestCount(RequestKind.Metadata));
    }

    [Fact]
    public async Task RulesAddedAtRunTimeApplyInOrder()
    {
        await using var server = await TestServer.StartAsync();
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.Metadata, Status = 503, Times = 1 });
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.Any, Status = 429, Times = 1 });

        await TestServer.AssertErrorAsync(await server.Http.GetAsync(server.TableUrl("simple_table") + "/metadata"), 503);
        await TestServer.AssertErrorAsync(await server.Http.GetAsync(server.TableUrl("simple_table") + "/metadata"), 429);
        using (var ok = await server.Http.GetAsync(server.TableUrl("simple_table") + "/metadata"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.List, Status = 500 });
        await TestServer.AssertErrorAsync(await server.GetAsync("/shares"), 500);
        await TestServer.AssertErrorAsync(await server.GetAsync("/shares"), 500);
        server.Host.Faults.Clear();
        using (var ok = await server.GetAsync("/shares"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(3, server.Host.Faults.RequestCount(RequestKind.List));
    }

    [Fact]
    public async Task TruncatedFileResponsesBreakTheConnection()
    {
        await using var server = await TestServer.StartAsync();
        var url = TestServer.Wrapped(await server.QueryLinesAsync("simple_table", new { }), "file").First().GetProperty("url").GetString()!;
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, TruncateAfterBytes = 10, Times = 1 });

        using var anonymous = new HttpClient();
        await Assert.ThrowsAnyAsync<Exception>(() => anonymous.GetByteArrayAsync(url));
        var bytes = await anonymous.GetByteArrayAsync(url);
        Assert.True(bytes.Length > 10);
        Assert.Equal(2, server.Host.Faults.RequestCount(RequestKind.File));
    }

    [Fact]
    public async Task UnauthenticatedRequestsDoNotConsumeFaults()
    {
        await using var server = await TestServer.StartAsync();
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.Any, Status = 500, Times = 1 });
        using var anonymous = new HttpClient();
        await TestServer.AssertErrorAsync(await anonymous.GetAsync(server.Base + "/shares"), 401);
        await TestServer.AssertErrorAsync(await server.GetAsync("/shares"), 500);
    }

    [Fact]
    public async Task A_silently_short_body_has_no_length_and_ends_normally()
    {
        await using var server = await TestServer.StartAsync();
        var url = TestServer.Wrapped(await server.QueryLinesAsync("simple_table", new { }), "file").First().GetProperty("url").GetString()!;
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, EndBodyAfterBytes = 10, Times = 1 });

        using var anonymous = new HttpClient();
        using var cut = await anonymous.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        Assert.True(cut.Headers.TransferEncodingChunked);
        Assert.Equal(10, (await cut.Content.ReadAsByteArrayAsync()).Length);
        var whole = await anonymous.GetByteArrayAsync(url);
        Assert.True(whole.Length > 10);
        var served = Assert.Single(server.Host.Faults.FilesServed).Value;
        Assert.Equal(new FileRequests(2, 0, 10 + whole.Length), served);
    }

    [Fact]
    public async Task An_intermittent_rule_fails_one_request_in_every_n()
    {
        await using var server = await TestServer.StartAsync();
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.Version, Status = 503, Every = 3 });
        var statuses = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await server.Http.GetAsync(server.TableUrl("simple_table") + "/version");
            statuses.Add((int)response.StatusCode);
        }
        Assert.Equal([503, 200, 200, 503, 200, 200, 503], statuses);
    }

    [Fact]
    public async Task A_delay_rule_holds_the_response_and_ranged_gets_are_counted()
    {
        await using var server = await TestServer.StartAsync();
        var url = TestServer.Wrapped(await server.QueryLinesAsync("simple_table", new { }), "file").First().GetProperty("url").GetString()!;
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, DelayMilliseconds = 300, Times = 1 });
        using var anonymous = new HttpClient();
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(5, 9);
        using var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.True(started.ElapsedMilliseconds >= 300);
        Assert.Equal(new FileRequests(1, 1, 5), Assert.Single(server.Host.Faults.FilesServed).Value);
    }

    [Fact]
    public async Task An_ignore_range_rule_answers_a_ranged_get_with_the_whole_file_once()
    {
        await using var server = await TestServer.StartAsync();
        var url = TestServer.Wrapped(await server.QueryLinesAsync("simple_table", new { }), "file").First().GetProperty("url").GetString()!;
        server.Host.Faults.Add(new FaultRule { Match = FaultMatch.File, IgnoreRange = true, Times = 1 });
        using var anonymous = new HttpClient();

        async Task<HttpResponseMessage> RangedGetAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(5, 9);
            return await anonymous.SendAsync(request);
        }

        using var whole = await RangedGetAsync();
        using var ranged = await RangedGetAsync();
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Empty(whole.Headers.AcceptRanges);
        var size = (await whole.Content.ReadAsByteArrayAsync()).Length;
        Assert.True(size > 5);
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(5, (await ranged.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(new FileRequests(2, 1, size + 5), Assert.Single(server.Host.Faults.FilesServed).Value);
        Assert.Throws<ArgumentException>(() => server.Host.Faults.Add(new FaultRule { Match = FaultMatch.Query, IgnoreRange = true }));
    }

    [Theory]
    [InlineData(null, null, "needs status or truncateAfterBytes")]
    [InlineData(200, null, "between 400 and 599")]
    [InlineData(500, 10L, "not both")]
    public void InconsistentRulesAreRejected(int? status, long? truncate, string message)
    {
        var state = new FaultState(null);
        var e = Assert.Throws<ArgumentException>(() => state.Add(new FaultRule { Status = status, TruncateAfterBytes = truncate }));
        Assert.Contains(message, e.Message);
        Assert.Throws<ArgumentException>(() => state.Add(new FaultRule { Match = FaultMatch.Query, TruncateAfterBytes = 1 }));
        Assert.Throws<ArgumentException>(() => state.Add(new FaultRule { Status = 500, Times = 0 }));
    }
}
