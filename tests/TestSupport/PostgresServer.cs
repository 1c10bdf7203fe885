using System.Diagnostics;
using Npgsql;

namespace ReplicaSync.TestSupport;

/// <summary>
/// A PostgreSQL server (Debian package <c>postgresql</c>) on 127.0.0.1 and a free port, with its own data and socket
/// directory under the temp folder, started for a test collection and killed on dispose. PostgreSQL refuses to run
/// as root, so under root initdb and the server run as the <c>postgres</c> user, which then owns the directory.
/// Each test asks for its own database. Without the binaries the tests fail saying so, never skip.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("postgres");
    private ChildServer? _server;
    private int _port;

    /// <summary>A connection string for <paramref name="database"/> (default: the maintenance database).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=true;Timeout=30;Command Timeout=60";

    public async Task InitializeAsync()
    {
        var bin = Binaries();
        var data = _dir.Combine("data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
            Check(Executables.Run("chown", ["-R", "postgres:postgres", _dir.Path]), "chown");
        Check(Executables.Run(asRoot ? "runuser" : Path.Combine(bin, "initdb"),
            [.. (asRoot ? (string[])["-u", "postgres", "--", Path.Combine(bin, "initdb")] : []), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            timeout: StartupLimit), "initdb");
        _port = FreePort.Next();
        string[] server = [Path.Combine(bin, "postgres"), "-D", data, "-p", _port.ToString(), "-k", _dir.Path,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=300"];
        var start = asRoot ? new ProcessStartInfo(Executables.Find("runuser")!, ["-u", "postgres", "--", .. server]) : new ProcessStartInfo(server[0], server[1..]);
        _server = await ChildServer.StartAsync("postgres", start, async _ =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                await connection.OpenAsync();
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, StartupLimit);
    }

    /// <summary>Creates a fresh, empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        _server?.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The newest installed server's bin folder (/usr/lib/postgresql/N/bin), where initdb and postgres live.</summary>
    private static string Binaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed under /usr/lib/postgresql: the cluster tests need it (apt-get install postgresql; scripts/test.sh does)");
    }

    private static void Check(ToolRun run, string what)
    {
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"{what} failed (exit {run.ExitCode}): {run.Output}");
    }
}
