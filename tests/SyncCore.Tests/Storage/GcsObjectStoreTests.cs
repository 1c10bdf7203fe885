using System.Text;
using ReplicaSync.Storage.Gcs;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The requests the GCS store sends, checked against an in-process fake for what the Firebase emulator does not
/// implement: the put-if-absent precondition, credentials on the wire, and rejected credentials.
/// </summary>
public sealed class GcsObjectStoreTests
{
    private const string Token = "ya29.secret-token-that-must-never-leak";

    [Fact]
    public async Task Put_if_absent_sends_ifGenerationMatch_0_and_a_412_means_another_writer_won()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        var store = Store(fake);
        Assert.True(await store.PutIfAbsentAsync("_delta_log/00000000000000000000.json", Encoding.UTF8.GetBytes("first"), default));
        Assert.False(await store.PutIfAbsentAsync("_delta_log/00000000000000000000.json", Encoding.UTF8.GetBytes("second"), default));

        Assert.Equal("first", Encoding.UTF8.GetString(fake.Objects["tables/t1/_delta_log/00000000000000000000.json"]));
        var uploads = fake.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, uploads.Count);
        Assert.All(uploads, r =>
        {
            Assert.StartsWith("/upload/storage/v1/b/bucket-1/o?uploadType=media&", r.PathAndQuery);
            Assert.Contains("&name=tables%2Ft1%2F_delta_log%2F00000000000000000000.json", r.PathAndQuery);
            Assert.EndsWith("&ifGenerationMatch=0", r.PathAndQuery);
        });
    }

    [Fact]
    public async Task A_retried_put_if_absent_that_finds_its_own_earlier_attempt_reports_success_but_not_someone_elses()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        var store = Store(fake);
        fake.LoseNextUploadAnswer = true;
        Assert.True(await store.PutIfAbsentAsync("_delta_log/0.json", Encoding.UTF8.GetBytes("mine"), default));
        Assert.Equal(2, fake.Requests.Count(r => r.Method == "POST"));

        await store.WriteAsync("_delta_log/1.json", new MemoryStream(Encoding.UTF8.GetBytes("theirs")), default);
        fake.FailNextUpload = true;
        Assert.False(await store.PutIfAbsentAsync("_delta_log/1.json", Encoding.UTF8.GetBytes("mine"), default));
        Assert.Equal("theirs", Encoding.UTF8.GetString(fake.Objects["tables/t1/_delta_log/1.json"]));
    }

    [Fact]
    public async Task Plain_writes_carry_no_precondition()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        var store = Store(fake);
        await store.WriteAsync("a.bin", new MemoryStream([1, 2, 3]), default);
        await store.WriteAsync("a.bin", new MemoryStream([4]), default);
        Assert.Equal([4], fake.Objects["tables/t1/a.bin"]);
        Assert.All(fake.Requests, r => Assert.DoesNotContain("ifGenerationMatch", r.PathAndQuery));
    }

    [Fact]
    public async Task The_token_is_sent_as_a_bearer_header_and_a_401_names_object_and_cause_but_not_the_token()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        var store = Store(fake);
        await store.WriteAsync("d/f.bin", new MemoryStream([1]), default);
        Assert.Equal($"Bearer {Token}", Assert.Single(fake.Requests).Authorization);

        fake.RejectCredentials = true;
        var e = await Assert.ThrowsAsync<GcsStoreException>(() => store.WriteAsync("d/f.bin", new MemoryStream([1]), default));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, e.Status);
        Assert.Contains("gs://bucket-1/tables/t1/d/f.bin", e.Message);
        Assert.Contains("401", e.Message);
        Assert.Contains("credentials were rejected", e.Message);
        Assert.Contains("Bearer ***", e.Message);
        Assert.DoesNotContain(Token, e.ToString());
    }

    [Fact]
    public async Task A_service_account_key_file_gets_a_token_through_google_auth_once_and_sends_it()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        await using var oauth = await FakeGoogleTokenServer.StartAsync();
        using var keys = new TempDirectory("gcs-keys");
        var (keyFile, _) = oauth.WriteKeyFile(keys.Path);
        using var store = new GcsObjectStore(new GcsStoreOptions
        {
            Bucket = "bucket-1", Endpoint = fake.Endpoint, Credentials = GcsCredentials.KeyFile, KeyFile = keyFile,
        });
        await store.WriteAsync("a", new MemoryStream([1]), default);
        await store.WriteAsync("b", new MemoryStream([2]), default);
        Assert.All(fake.Requests, r => Assert.Equal($"Bearer {oauth.AccessToken}", r.Authorization));
        Assert.Equal(1, oauth.Grants);
    }

    [Fact]
    public async Task A_missing_key_file_fails_clearly_naming_it()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = new GcsObjectStore(new GcsStoreOptions
        {
            Bucket = "bucket-1", Endpoint = fake.Endpoint, Credentials = GcsCredentials.KeyFile, KeyFile = "no-such-key.json",
        });
        var e = await Assert.ThrowsAsync<GcsStoreException>(() => store.StatAsync("a", default));
        Assert.Contains("gs://bucket-1/a", e.Message);
        Assert.Contains("no-such-key.json", e.Message);
        Assert.Empty(fake.Requests);
    }

    internal static GcsObjectStore Store(FakeGcsServer fake, Func<GcsStoreOptions, GcsStoreOptions>? configure = null)
    {
        var options = new GcsStoreOptions { Bucket = "bucket-1", Prefix = "tables/t1", Endpoint = fake.Endpoint, RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
        return new GcsObjectStore(configure?.Invoke(options) ?? options, Http.Value, new StaticTokens(Token));
    }

    private static readonly Lazy<HttpClient> Http = new(() => new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }));

    private sealed class StaticTokens(string token) : IGcsTokenSource
    {
        public ValueTask<string?> GetTokenAsync(CancellationToken ct) => ValueTask.FromResult<string?>(token);
    }
}
