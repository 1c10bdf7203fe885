using System.Security.Cryptography;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

namespace ReplicaSync.Integration.Tests;

/// <summary>
/// Checks a replica in an object store, as an independent client lists and reads it, against the provider's table on
/// disk: the log holds commits 0..N, replays (over <c>log</c>) to the provider's version and schema, every live file
/// has the listed size and exactly the bytes of a provider live file, and every other data file is a provider file.
/// </summary>
internal static class RemoteReplicaCheck
{
    /// <param name="sizes">Every object under the replica root: key relative to the root → size, as the client listed it.</param>
    /// <param name="hashOf">SHA-256 (upper-case hex) of an object's bytes, read by the client, by relative key.</param>
    /// <param name="log">A store the replica's log is read from for replay.</param>
    public static async Task AssertMatchesProviderAsync(string providerRoot, IReadOnlyDictionary<string, long> sizes,
        Func<string, Task<string>> hashOf, IObjectStore log)
    {
        var provider = (await new DeltaLog(new LocalObjectStore(providerRoot)).LoadSnapshotAsync(null, default))!;
        Assert.Equal(Enumerable.Range(0, (int)provider.Version + 1).Select(v => $"_delta_log/{v:D20}.json"),
            sizes.Keys.Where(k => k.StartsWith("_delta_log/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        var replica = (await new DeltaLog(log).LoadSnapshotAsync(null, default))!;
        Assert.NotEmpty(provider.Files);
        Assert.Equal(provider.Version, replica.Version);
        Assert.Equal(provider.Metadata!.SchemaString, replica.Metadata!.SchemaString);
        var providerLive = provider.Files.Values
            .Select(f => Sha256(File.ReadAllBytes(Path.Combine(providerRoot, ReplicaPaths.FromLogPath(f.Path))))).Order().ToList();
        var replicaLive = new List<string>();
        foreach (var file in replica.Files.Values)
        {
            var key = ReplicaPaths.FromLogPath(file.Path);
            Assert.Equal(file.Size, sizes[key]);
            replicaLive.Add(await hashOf(key));
        }
        Assert.Equal(providerLive, replicaLive.Order().ToList());

        // Whatever else was copied (files of earlier versions) is byte for byte some file of the provider's.
        var providerFiles = Directory.GetFiles(providerRoot, "*.parquet").Select(f => Sha256(File.ReadAllBytes(f))).ToHashSet();
        var dataFiles = sizes.Keys.Where(k => !k.StartsWith("_delta_log/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dataFiles);
        foreach (var key in dataFiles)
            Assert.Contains(await hashOf(key), providerFiles);
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
