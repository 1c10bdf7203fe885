using System.Diagnostics;
using System.Net;

namespace ReplicaSync.TestSupport;

/// <summary>
/// The Firebase Storage emulator (GCS JSON API) on 127.0.0.1, started through <c>tests/emulators/gcs-emulator.cjs</c>
/// on a free port for a test collection and killed on dispose; its blobs live in a temp directory removed then.
/// Without node or the emulator packages the tests fail with a message saying so, never skip.
/// </summary>
public sealed class GcsEmulator : IAsyncLifetime
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _blobs = new();
    private ChildServer? _server;

    /// <summary>The JSON API root, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var node = ChildServer.Require("node", "the GCS tests run the Firebase Storage emulator with it");
        var folder = Path.Combine(TestPaths.RepoRoot, "tests", "emulators");
        var script = Path.Combine(folder, "gcs-emulator.cjs");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "firebase-tools")))
            throw new InvalidOperationException($"firebase-tools is not installed under {folder}: run `npm ci` there (scripts/test.sh does).");
        var port = FreePort.Next();
        Endpoint = $"http://127.0.0.1:{port}/";
        var start = new ProcessStartInfo(node, [script, port.ToString()])
        {
            WorkingDirectory = folder,
        };
        start.Environment["TMPDIR"] = _blobs.Path;
        _server = await ChildServer.StartAsync("the GCS emulator", start, async http =>
        {
            using var response = await http.GetAsync(Endpoint + "storage/v1/b/probe/o");
            return response.StatusCode == HttpStatusCode.OK;
        }, StartupLimit);
    }

    /// <summary>A unique bucket name; the emulator creates buckets on first use (its bucket-create answers 501).</summary>
    public static string NewBucket() => $"test-{Guid.NewGuid():N}";

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _blobs.Dispose();
        return Task.CompletedTask;
    }
}
