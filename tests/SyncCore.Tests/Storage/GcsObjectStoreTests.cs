using System.Text;
using Google.Apis.Auth.OAuth2;
using ReplicaSync.Storage.Gcs;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The requests the GCS store sends through the Google client, checked against an in-process fake for what the
/// Firebase emulator does not implement: the put-if-absent precondition, credentials on the wire, and rejected credentials.
/// </summary>
public sealed class GcsObjectStoreTests
{
    private const string Token = "ya29.secret-token-that-must-never-leak";
    private const string Commit = "_delta_log/00000000000000000000.json";

    [Fact]
    public async Task Put_if_absent_sends_ifGenerationMatch_0_and_a_412_means_another_writer_won()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = Store(fake);
        Assert.True(await store.PutIfAbsentAsync(Commit, Encoding.UTF8.GetBytes("first"), default));
        Assert.False(await store.PutIfAbsentAsync(Commit, Encoding.UTF8.GetBytes("second"), default));

        Assert.Equal("first", Encoding.UTF8.GetString(fake.Objects["tables/t1/" + Commit]));
        var starts = fake.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, starts.Count);
        Assert.All(starts, r =>
        {
            Assert.StartsWith("/upload/storage/v1/b/bucket-1/o?", r.PathAndQuery);
            Assert.Contains("uploadType=resumable", r.PathAndQuery);
            Assert.Contains("ifGenerationMatch=0", r.PathAndQuery);
        });
        // The commit is one request of known length; the losing writer never sends its bytes.
        Assert.Equal("bytes 0-4/5", Assert.Single(fake.Requests, r => r.Method == "PUT").ContentRange);
    }

    [Fact]
    public async Task A_writer_that_wins_the_race_after_the_session_started_still_makes_put_if_absent_false()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = Store(fake);
        fake.RaceNextSession = Encoding.UTF8.GetBytes("theirs");
        Assert.False(await store.PutIfAbsentAsync(Commit, Encoding.UTF8.GetBytes("mine"), default));
        Assert.Equal("theirs", Encoding.UTF8.GetString(fake.Objects["tables/t1/" + Commit]));
    }

    [Fact]
    public async Task A_lost_answer_to_the_last_chunk_is_settled_by_asking_the_session_so_the_winner_knows_it_won()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = Store(fake);
        fake.LoseNextFinishAnswer = true;
        Assert.True(await store.PutIfAbsentAsync(Commit, Encoding.UTF8.GetBytes("mine"), default));
        Assert.Equal("mine", Encoding.UTF8.GetString(fake.Objects["tables/t1/" + Commit]));
        Assert.Equal(["bytes 0-3/4", "bytes */4"], fake.Requests.Where(r => r.Method == "PUT").Select(r => r.ContentRange));
        Assert.False(await store.PutIfAbsentAsync(Commit, Encoding.UTF8.GetBytes("again"), default));
    }

    [Fact]
    public async Task Plain_writes_carry_no_precondition()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = Store(fake);
        await store.WriteAsync("a.bin", new MemoryStream([1, 2, 3]), default);
        await store.WriteAsync("a.bin", new MemoryStream([4]), default);
        Assert.Equal([4], fake.Objects["tables/t1/a.bin"]);
        Assert.All(fake.Requests, r => Assert.DoesNotContain("ifGenerationMatch", r.PathAndQuery));
    }

    [Fact]
    public async Task A_read_throttled_or_failed_with_5xx_is_tried_again_and_one_still_failing_names_the_status()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = Store(fake, o => o with { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        await store.WriteAsync("a.bin", new MemoryStream([1, 2, 3]), default);
        foreach (var status in new[] { 429, 503, 500 })
            fake.ReadFailures.Enqueue(status);
        await using (var read = await store.OpenReadAsync("a.bin", null, default))
        {
            using var bytes = new MemoryStream();
            await read.CopyToAsync(bytes);
            Assert.Equal([1, 2, 3], bytes.ToArray());
        }
        Assert.Equal(4, fake.Requests.Count(r => r.PathAndQuery.Contains("alt=media")));

        foreach (var _ in Enumerable.Range(0, 4))
            fake.ReadFailures.Enqueue(503);
        var e = await Assert.ThrowsAsync<GcsStoreException>(() => store.OpenReadAsync("a.bin", null, default));
        Assert.Contains("download of gs://bucket-1/tables/t1/a.bin failed: 503", e.Message);
        Assert.Equal(8, fake.Requests.Count(r => r.PathAndQuery.Contains("alt=media")));
    }

    [Fact]
    public async Task An_upload_throttled_at_its_start_is_sent_again_in_a_new_session()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = Store(fake, o => o with { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        fake.StartFailures.Enqueue(429);
        fake.StartFailures.Enqueue(503);
        Assert.True(await store.PutIfAbsentAsync(Commit, Encoding.UTF8.GetBytes("mine"), default));
        Assert.Equal("mine", Encoding.UTF8.GetString(fake.Objects["tables/t1/" + Commit]));
        Assert.Equal(3, fake.Requests.Count(r => r.Method == "POST"));

        foreach (var _ in Enumerable.Range(0, 4))
            fake.StartFailures.Enqueue(429);
        var e = await Assert.ThrowsAsync<GcsStoreException>(() => store.WriteAsync("a.bin", new MemoryStream([1]), default));
        Assert.Contains("upload of gs://bucket-1/tables/t1/a.bin failed: 429", e.Message);
    }

    [Fact]
    public async Task The_token_is_sent_as_a_bearer_header_and_a_401_names_object_and_cause_but_not_the_token()
    {
        await using var fake = await FakeGcsServer.StartAsync();
        using var store = Store(fake);
        await store.WriteAsync("d/f.bin", new MemoryStream([1]), default);
        Assert.All(fake.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));

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
        Assert.Equal(4, fake.Requests.Count);
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
        var options = new GcsStoreOptions { Bucket = "bucket-1", Prefix = "tables/t1", Endpoint = fake.Endpoint };
        return new GcsObjectStore(configure?.Invoke(options) ?? options, GoogleCredential.FromAccessToken(Token));
    }
}
