using System.Text;
using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

public class HostileInputTests
{
    private const string Protocol = """{"protocol":{"minReaderVersion":1}}""";
    private const string Metadata = """{"metaData":{"id":"m1","format":{"provider":"parquet"},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":["p"],"version":0}}""";

    private static string Add(string baseUrl, string id, string partition, int size) =>
        $$$"""{"add":{"url":"{{{baseUrl}}}/files/f1?sig=secret-signature","id":{{{Json(id)}}},"partitionValues":{"p":{{{Json(partition)}}}},"size":{{{size}}},"timestamp":1700000000000,"version":0}}""";

    private static string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    private static Func<string, string> Lines(params Func<string, string>[] lines) =>
        baseUrl => string.Join("\n", lines.Select(l => l(baseUrl))) + "\n";

    [Fact]
    public async Task A_file_id_with_dot_dot_and_a_partition_value_with_slash_and_percent_stay_inside_the_root()
    {
        var data = Encoding.ASCII.GetBytes("0123456789");
        await using var provider = new HostileProvider(0,
            Lines(_ => Protocol, _ => Metadata, url => Add(url, "../../../escaped", "../x/%2e%2e/y%", data.Length)),
            new Dictionary<string, byte[]> { ["f1"] = data });
        var address = await provider.StartAsync();
        using var outer = new TempDirectory("outer");
        var root = outer.Combine("replica");

        var report = await SyncAsync(address, root);

        Assert.True(report.Reached);
        var dataFile = Assert.Single(Directory.GetFiles(outer.Path, "*", SearchOption.AllDirectories), f => !f.Contains("_delta_log"));
        Assert.StartsWith(root + Path.DirectorySeparatorChar, dataFile);
        Assert.Equal(data, await File.ReadAllBytesAsync(dataFile));
        var relative = Path.GetRelativePath(root, dataFile).Replace('\\', '/');
        Assert.Matches("^p=\\.\\.%2Fx%2F%252e%252e%2Fy%25/part-h_[0-9a-f]{64}\\.parquet$", relative);
        var snapshot = await new DeltaLog(new LocalObjectStore(root)).LoadSnapshotAsync(null, default);
        Assert.Equal("../x/%2e%2e/y%", Assert.Single(snapshot!.Files).Value.PartitionValues["p"]);
    }

    [Fact]
    public async Task A_malformed_ndjson_line_fails_the_run_naming_the_line_and_writes_no_commit()
    {
        await using var provider = new HostileProvider(0,
            Lines(_ => Protocol, _ => Metadata, _ => """{"add":{"url":"http://x/f?sig=top-secret","id":"a","""),
            new Dictionary<string, byte[]>());
        var address = await provider.StartAsync();
        using var replica = new TempDirectory("replica");
        var e = await Assert.ThrowsAsync<SharingProtocolException>(() => SyncAsync(address, replica.Path));
        Assert.Equal(3, e.LineNumber);
        Assert.DoesNotContain("top-secret", e.Message);
        Assert.False(Directory.Exists(Path.Combine(replica.Path, "_delta_log")));
    }

    [Fact]
    public async Task A_file_shorter_than_announced_is_never_committed()
    {
        var data = Encoding.ASCII.GetBytes("short");
        await using var provider = new HostileProvider(0,
            Lines(_ => Protocol, _ => Metadata, url => Add(url, "abc", "x", data.Length + 10)),
            new Dictionary<string, byte[]> { ["f1"] = data });
        var address = await provider.StartAsync();
        using var replica = new TempDirectory("replica");
        var e = await Assert.ThrowsAnyAsync<Exception>(() => SyncAsync(address, replica.Path));
        Assert.Contains("announced 15", e.Message);
        Assert.DoesNotContain("secret-signature", e.Message);
        Assert.False(Directory.Exists(Path.Combine(replica.Path, "_delta_log")));
        Assert.Empty(Directory.GetFiles(replica.Path, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/path")]
    [InlineData("ftp://host/file")]
    public async Task A_file_url_that_is_not_http_is_refused(string url)
    {
        await using var provider = new HostileProvider(0,
            Lines(_ => Protocol, _ => Metadata, baseUrl => Add(baseUrl, "abc", "x", 10).Replace(baseUrl + "/files/f1?sig=secret-signature", url)),
            new Dictionary<string, byte[]>());
        var address = await provider.StartAsync();
        using var replica = new TempDirectory("replica");
        var e = await Assert.ThrowsAsync<SyncException>(() => SyncAsync(address, replica.Path));
        Assert.Contains("not an absolute http(s) URL", e.Message);
        Assert.Empty(Directory.GetFiles(replica.Path, "*", SearchOption.AllDirectories));
    }

    private static async Task<SyncReport> SyncAsync(TableAddress address, string target)
    {
        using var client = new SharingClient(SharingProfile.Load(address.ProfilePath), options: new SharingClientOptions { BaseDelay = TimeSpan.FromMilliseconds(5) });
        using var http = FileHttp.CreateClient();
        var engine = new SyncEngine(client, new LocalObjectStore(target), http, new SyncOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(5), MaxRetries = 1 });
        return await engine.RunAsync(address, null, null, default);
    }
}
