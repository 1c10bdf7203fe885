using System.Diagnostics;
using System.Security.Cryptography;
using ReplicaSync.Daemon.Cli;
using ReplicaSync.Daemon.Progress;
using ReplicaSync.Sharing;
using ReplicaSync.SharingServer;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using Spectre.Console;

namespace ReplicaSync.Daemon.Demo;

/// <summary>
/// The no-account demo: generate a provider table, serve it with the embedded Delta Sharing server on 127.0.0.1,
/// replicate it, add provider versions and sync again (incremental), then summarize and show how to read the replica.
/// </summary>
public sealed class DemoRunner(string directory, TextWriter output)
{
    private const string Share = "demo";
    private const string Schema = "sales";
    private const string TableName = "orders";

    public string ProviderPath => Path.Combine(directory, "provider");
    public string ReplicaPath => Path.Combine(directory, "replica");

    public async Task<int> RunAsync(CancellationToken ct)
    {
        // The demo owns these two folders: start them afresh so every run shows the same story.
        foreach (var owned in new[] { ProviderPath, ReplicaPath })
        {
            if (Directory.Exists(owned))
                Directory.Delete(owned, recursive: true);
        }
        var provider = new DemoTable(ProviderPath);
        await provider.CreateAsync(ct);
        await provider.AppendAsync(ct);
        await provider.AppendAsync(ct);
        await provider.DeleteAsync(ct);
        await provider.AddNoteColumnAsync(ct);
        await provider.AppendAsync(ct);
        output.WriteLine($"provider table {Share}.{Schema}.{TableName}: versions 0..{provider.Version} (create, 2 appends, a delete, a new column, an append) in {ProviderPath}");

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var server = await SharingServerHost.StartAsync(ServerConfig(token), "http://127.0.0.1:0", ct, LogLevel.Warning);
        var profile = server.WriteProfile(Path.Combine(directory, "provider.share"), token);
        output.WriteLine($"embedded Delta Sharing server at {server.Endpoint} (profile: {profile})");
        var address = TableAddress.Parse($"{profile}#{Share}.{Schema}.{TableName}");

        var passes = new List<(string Name, SyncReport Report, TimeSpan Time)>();
        passes.Add(await SyncAsync("first sync (full history)", address, ct));
        await provider.AppendAsync(ct);
        await provider.AppendAsync(ct);
        output.WriteLine($"the provider wrote versions {provider.Version - 1} and {provider.Version}");
        passes.Add(await SyncAsync("second sync (incremental)", address, ct));

        Summarize(passes);
        output.WriteLine();
        output.WriteLine($"The replica is an ordinary Delta table at {ReplicaPath}. Point an engine at it:");
        output.WriteLine($"  DuckDB:   INSTALL delta; LOAD delta; SELECT country, count(*) FROM delta_scan('{ReplicaPath}') GROUP BY country;");
        output.WriteLine($"  Spark:    spark.read.format(\"delta\").load(\"{ReplicaPath}\")");
        output.WriteLine($"  Polars:   pl.read_delta(\"{ReplicaPath}\")");
        output.WriteLine($"  status:   replicasync status --target {ReplicaPath}");
        await server.StopAsync(ct);
        return passes.All(p => p.Report.Reached) ? 0 : 1;
    }

    private async Task<(string, SyncReport, TimeSpan)> SyncAsync(string name, TableAddress address, CancellationToken ct)
    {
        using var client = new SharingClient(SharingProfile.Load(address.ProfilePath));
        using var files = FileHttp.CreateClient();
        var watch = Stopwatch.StartNew();
        var report = await TransferDisplay.RunAsync(name, observer =>
            new SyncEngine(client, ObjectStores.Open(ReplicaPath), files, new SyncOptions { Observer = observer }).RunAsync(address, null, null, ct));
        output.WriteLine($"{name}: replica at version {report.EndVersion}; {report.Versions.Count} versions, {report.FilesCopied} files, {Bytes.Format(report.BytesCopied)}");
        return (name, report, watch.Elapsed);
    }

    private void Summarize(List<(string Name, SyncReport Report, TimeSpan Time)> passes)
    {
        var table = new Table().Title("summary").AddColumns("sync", "versions", "files", "bytes", "time");
        foreach (var (name, report, time) in passes)
        {
            var versions = report.Versions.Count == 0 ? "none" : $"{report.Versions[0].Version}..{report.EndVersion}";
            table.AddRow(name, versions, report.FilesCopied.ToString(), Bytes.Format(report.BytesCopied), $"{time.TotalSeconds:0.00} s");
        }
        table.AddRow("total", $"{passes.Sum(p => p.Report.Versions.Count)} versions", passes.Sum(p => p.Report.FilesCopied).ToString(),
            Bytes.Format(passes.Sum(p => p.Report.BytesCopied)), $"{passes.Sum(p => p.Time.TotalSeconds):0.00} s");
        Terminal.For(output).Write(table);
    }

    private SharingServerConfig ServerConfig(string token) => new()
    {
        BearerTokens = [token],
        Shares =
        [
            new ShareConfig
            {
                Name = Share,
                Schemas = [new SchemaConfig { Name = Schema, Tables = [new TableConfig { Name = TableName, Location = ProviderPath, HistoryShared = true }] }],
            },
        ],
    };
}
