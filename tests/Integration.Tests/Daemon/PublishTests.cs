using System.Diagnostics;
using System.Text.Json.Nodes;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Daemon;

/// <summary>
/// The container's build and run steps without a Docker engine: <c>scripts/publish.sh</c> (the Dockerfile's build
/// stage) publishes the daemon as one native executable, which runs as a service, the image's health check script
/// passes against it, and SIGTERM stops it cleanly. Where scripts/test.sh has already published it
/// (<c>REPLICASYNC_EXECUTABLE</c>), that output is the one checked.
/// </summary>
public sealed class PublishTests
{
    [Fact]
    public async Task The_published_daemon_serves_healthz_to_the_image_health_check_and_stops_on_sigterm()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "Dockerfile"));
        Assert.Contains("RUN bash scripts/publish.sh /app", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER 10001", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"/app/replicasync\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("STOPSIGNAL SIGTERM", dockerfile, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);
        Assert.Contains("CMD [\"bash\", \"/app/healthcheck.sh\"]", dockerfile, StringComparison.Ordinal);

        using var scratch = new TempDirectory("publish");
        var publish = CliProcess.PublishedExecutable is { } executable ? Path.GetDirectoryName(executable)! : scratch.Path;
        var log = "published by scripts/test.sh";
        if (CliProcess.PublishedExecutable is null)
        {
            (var published, log) = Executables.Run("bash", [Path.Combine(TestPaths.RepoRoot, "scripts", "publish.sh"), publish], timeout: TimeSpan.FromMinutes(12));
            Assert.True(published == 0, log);
        }
        var replicasync = Path.Combine(publish, "replicasync");
        var health = Path.Combine(publish, "healthcheck.sh");
        Assert.True(File.Exists(replicasync) && File.Exists(health), log);
        // One native executable: no managed entry assembly beside it, so it needs no .NET runtime on the machine.
        Assert.False(File.Exists(Path.Combine(publish, "replicasync.dll")), log);

        using var provider = new TempDirectory("publish-provider");
        using var replicas = new TempDirectory("publish-replicas");
        var table = new ProviderTableBuilder(provider.Path, seed: 9);
        await table.CreateAsync("a");
        await using var sharing = await SharingFixture.StartAsync(new Dictionary<string, string> { ["t"] = provider.Path });
        var port = FreePort.Next();
        var config = DaemonConfig.For(sharing, replicas.Path, ("t", "3600"));
        config["listen"] = $"http://127.0.0.1:{port}";
        var configPath = sharing.Dir.Combine("daemon.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        var healthEnv = new Dictionary<string, string> { ["HEALTHCHECK_PORT"] = port.ToString() };

        Assert.NotEqual(0, Executables.Run("bash", [health], environment: healthEnv, timeout: TimeSpan.FromSeconds(30)).ExitCode); // nothing listens yet
        var start = new ProcessStartInfo(replicasync, ["run", "--config", configPath])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var daemon = Process.Start(start)!;
        var output = daemon.StandardOutput.ReadToEndAsync();
        var errors = daemon.StandardError.ReadToEndAsync();
        try
        {
            var healthy = false;
            for (var watch = Stopwatch.StartNew(); !healthy && watch.Elapsed < DaemonProcess.WaitLimit && !daemon.HasExited; await Task.Delay(200))
                healthy = Executables.Run("bash", [health], environment: healthEnv, timeout: TimeSpan.FromSeconds(30)).ExitCode == 0;
            Assert.True(healthy, $"the image health check never passed; daemon output:\n{(daemon.HasExited ? await output + await errors : "(still running)")}");
        }
        finally
        {
            CliProcess.SendTerm(daemon.Id);
            if (!daemon.WaitForExit(DaemonProcess.WaitLimit))
                daemon.Kill(entireProcessTree: true);
        }
        Assert.True(daemon.ExitCode == 0, await output + await errors);
        Assert.Contains("Application is shutting down", await output, StringComparison.Ordinal);
    }
}
