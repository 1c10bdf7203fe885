using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3.Model;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Storage.S3;
using ReplicaSync.Sync;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// Replicating into S3 (moto): the engine checked by a plain SDK client that shares no code with the store, and the real
/// CLI checked by boto3, a client independent of the AWS SDK for .NET the store is built on.
/// </summary>
[Collection(S3MotoCollection.Name)]
public class S3ReplicationTests(MotoServer moto)
{
    private const string Prefix = "replicas/simple";

    [Fact]
    public async Task Simple_table_replicates_into_s3_with_the_providers_bytes_and_log()
    {
        var providerRoot = TestPaths.Table("simple_table");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple_table"] = providerRoot });
        var bucket = await moto.CreateBucketAsync();
        using var target = TargetIn(bucket);
        using (var client = sharing.Client())
        using (var http = FileHttp.CreateClient())
        {
            var engine = new SyncEngine(client, target, http, new SyncOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
            var report = await engine.RunAsync(sharing.Address("simple_table"), null, null, default);
            Assert.True(report.Reached);
            Assert.Equal(4, report.ProviderVersion);
        }

        var objects = await ListBucketAsync(bucket);
        Assert.All(objects.Keys, key => Assert.StartsWith(Prefix + "/", key));
        await RemoteReplicaCheck.AssertMatchesProviderAsync(providerRoot, objects.ToDictionary(o => o.Key[(Prefix.Length + 1)..], o => o.Value),
            key => GetHashAsync(bucket, $"{Prefix}/{key}"), target);
    }

    [Fact]
    public async Task Cli_sync_into_s3_gives_boto3_the_providers_bytes_and_log_and_prints_no_secret()
    {
        var providerRoot = TestPaths.Table("simple_table");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["simple_table"] = providerRoot });
        var bucket = await moto.CreateBucketAsync();
        var environment = moto.CliEnvironment();

        var run = await CliProcess.RunAsync(["sync", "--table", sharing.Address("simple_table").ToString(), "--target", $"s3://{bucket}/{Prefix}", "--from", "0"],
            CliProcess.DefaultTimeout, environment);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(MotoServer.SecretKey, run.Stdout + run.Stderr);
        Assert.DoesNotContain(SharingFixture.Token, run.Stdout + run.Stderr);
        using var fromBoto = new TempDirectory("boto3-replica");
        var objects = Boto3Inventory(bucket, environment, fromBoto.Path);
        // The log as boto3 downloaded it is replayed; sizes and hashes are boto3's.
        await RemoteReplicaCheck.AssertMatchesProviderAsync(providerRoot, objects.ToDictionary(o => o.Key[(Prefix.Length + 1)..], o => o.Value.Size),
            key => Task.FromResult(objects[$"{Prefix}/{key}"].Sha256), new LocalObjectStore(fromBoto.Path));
    }

    private sealed record InventoryEntry(long Size, string Sha256);

    /// <summary>Lists, hashes and downloads the replica with boto3 (tests/tools/s3_inventory.py).</summary>
    private Dictionary<string, InventoryEntry> Boto3Inventory(string bucket, Dictionary<string, string> environment, string directory)
    {
        var run = Executables.Run("python3",
            [Path.Combine(TestPaths.RepoRoot, "tests", "tools", "s3_inventory.py"), moto.Endpoint, bucket, Prefix + "/", directory], environment: environment);
        Assert.True(run.ExitCode == 0, $"boto3 inventory failed: {run.Stderr}");
        var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        return json.RootElement.EnumerateObject().ToDictionary(
            p => p.Name, p => new InventoryEntry(p.Value.GetProperty("size").GetInt64(), p.Value.GetProperty("sha256").GetString()!));
    }

    [Fact]
    public async Task Large_files_reach_s3_as_multipart_uploads_fed_by_parallel_ranged_reads()
    {
        using var provider = new TempDirectory("provider");
        var table = await CopyFaultTests.BuildAsync(provider.Path, versions: 2, filesPerVersion: 2, (11 << 20, 12 << 20));
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        var bucket = await moto.CreateBucketAsync();
        using var target = TargetIn(bucket);
        using (var client = sharing.Client())
        using (var http = FileHttp.CreateClient())
        {
            // 5 MiB parts (S3's minimum): three ranged reads per file, each uploaded as a part.
            var options = new SyncOptions { PartSize = 1 << 20, StreamsPerFile = 3 };
            Assert.True((await new SyncEngine(client, target, http, options).RunAsync(sharing.Address("t"), null, null, default)).Reached);
        }
        foreach (var file in table.LiveFiles)
            Assert.Equal(3, sharing.Host.Faults.FilesServed[Uri.UnescapeDataString(file.Path)].RangedGets);
        var snapshot = (await new DeltaLog(target).LoadSnapshotAsync(null, default))!;
        Assert.Equal(2, snapshot.Files.Count);
        var providerHashes = table.LiveFiles.Select(f => RemoteReplicaCheck.Sha256(File.ReadAllBytes(Path.Combine(provider.Path, Uri.UnescapeDataString(f.Path))))).Order().ToList();
        var replicaHashes = new List<string>();
        foreach (var live in snapshot.Files.Values)
            replicaHashes.Add(await GetHashAsync(bucket, Prefix + "/" + Uri.UnescapeDataString(live.Path)));
        Assert.Equal(providerHashes, replicaHashes.Order().ToList());
    }

    /// <summary>The store under test on the replica prefix of <paramref name="bucket"/>.</summary>
    private S3ObjectStore TargetIn(string bucket) => new(new S3StoreOptions
    {
        Bucket = bucket, Prefix = Prefix, ServiceUrl = moto.Endpoint, ForcePathStyle = true,
        Credentials = new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey),
    });

    /// <summary>Every key and size in the bucket, paged by the SDK the plain way.</summary>
    private async Task<Dictionary<string, long>> ListBucketAsync(string bucket)
    {
        using var s3 = moto.CreateClient();
        var objects = new Dictionary<string, long>();
        var request = new ListObjectsV2Request { BucketName = bucket };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            foreach (var o in page.S3Objects ?? [])
                objects.Add(o.Key, o.Size ?? 0);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return objects;
    }

    private async Task<string> GetHashAsync(string bucket, string key)
    {
        using var s3 = moto.CreateClient();
        using var response = await s3.GetObjectAsync(bucket, key);
        return Convert.ToHexString(await SHA256.HashDataAsync(response.ResponseStream));
    }

}
