using System.Text;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>One audit line per request: recipient, table, version, files and bytes announced, status; never a token or a query string.</summary>
public sealed class AuditLogTests(RecipientFixture fixture) : IClassFixture<RecipientFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_query_is_audited_with_recipient_table_version_files_and_bytes_and_without_secrets()
    {
        using var alice = RecipientFixture.ClientFor(RecipientFixture.AliceToken);
        using var response = await alice.PostAsync(Server.TableUrl("simple_table") + "/query", new StringContent("{}", Encoding.UTF8, "application/json"));
        var files = TestServer.Wrapped(await TestServer.LinesAsync(response), "file").ToList();
        var bytes = files.Sum(f => f.GetProperty("size").GetInt64());
        var url = files[0].GetProperty("url").GetString()!;
        using (var anonymous = new HttpClient())
            Assert.True((await anonymous.GetAsync(url)).IsSuccessStatusCode);

        var lines = fixture.Logs.Lines(AuditLine.Category);
        var query = Assert.Single(lines, l => l.Contains("/simple_table/query", StringComparison.Ordinal) && l.Contains("recipient=alice", StringComparison.Ordinal));
        Assert.Contains("POST", query);
        Assert.Contains("table=share1.default.simple_table", query);
        Assert.Contains("version=4", query);
        Assert.Contains($"files={files.Count}", query);
        Assert.Contains($"bytes={bytes}", query);
        Assert.Contains("-> 200", query);
        var file = Assert.Single(lines, l => l.Contains(new Uri(url).AbsolutePath, StringComparison.Ordinal));
        Assert.Contains("recipient=-", file);
        Assert.Contains("-> 200", file);
        foreach (var line in fixture.Logs.All)
        {
            Assert.DoesNotContain(RecipientFixture.AliceToken, line);
            Assert.DoesNotContain("sig=", line);
            Assert.DoesNotContain("expires=", line);
            Assert.DoesNotContain("?", line);
        }
    }

    [Fact]
    public async Task Refused_requests_are_audited_too_without_the_token_they_carried()
    {
        using var wrong = RecipientFixture.ClientFor("wrong-token-3b9e");
        await wrong.GetAsync(Server.Base + "/shares/share1/all-tables");
        using var bob = RecipientFixture.ClientFor(RecipientFixture.BobToken);
        await bob.GetAsync(Server.TableUrl("cdf") + "/version");

        var lines = fixture.Logs.Lines(AuditLine.Category);
        Assert.Contains(lines, l => l.Contains("recipient=- GET /delta-sharing/shares/share1/all-tables", StringComparison.Ordinal) && l.Contains("-> 401", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("recipient=bob", StringComparison.Ordinal) && l.Contains("table=share1.default.cdf version=- files=0 bytes=0 -> 404", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.All, l => l.Contains("wrong-token-3b9e", StringComparison.Ordinal) || l.Contains(RecipientFixture.BobToken, StringComparison.Ordinal));
    }
}
