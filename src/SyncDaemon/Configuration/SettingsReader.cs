using System.Globalization;
using Microsoft.Extensions.Configuration;
using Quartz;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync;
using ReplicaSync.Sync.Checkpointing;

namespace ReplicaSync.Daemon.Configuration;

/// <summary>
/// Reads and validates the daemon's configuration (JSON file plus environment variables) in one pass, collecting
/// every problem with its key instead of stopping at the first. Relative paths (profiles, local targets) are
/// resolved against the configuration file's folder, so a config works from any working directory.
/// </summary>
public sealed partial class SettingsReader(IConfiguration config, string baseDirectory)
{
    private static readonly string[] RootKeys =
        ["listen", "maxConcurrentRuns", "shutdownGraceSeconds", "startupJitterSeconds", "misfireThresholdSeconds", "copy", "checkpoints", "otlp", "cluster", "tables", "serve"];
    private static readonly string[] TableKeys = ["source", "target", "cron", "intervalSeconds", "from", "misfire"];
    private static readonly string[] CheckpointKeys = ["every", "intervalSeconds"];
    private static readonly string[] OtlpKeys = ["endpoint", "protocol", "exportIntervalSeconds"];
    private static readonly string[] ClusterKeys = ["postgres", "checkinIntervalSeconds"];
    private static readonly string[] CopyKeys =
        ["maxConcurrentFiles", "streamsPerFile", "partSizeMiB", "memoryCeilingMiB", "pageSize", "filesPerRequest", "bandwidthBytesPerSecond", "byteBudgetPerRun"];

    private readonly List<ConfigProblem> _problems = [];

    /// <summary>Builds the configuration the daemon reads: the JSON file, then <c>REPLICASYNC__</c> environment variables over it.</summary>
    public static IConfigurationRoot Load(string path, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false)
            .AddEnvironmentVariables("REPLICASYNC__");
        if (overrides is not null)
            builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }

    /// <summary>The validated settings; throws <see cref="DaemonConfigException"/> listing every problem found.</summary>
    public DaemonSettings Read()
    {
        Unknown(config, "", RootKeys);
        var otlp = config.GetSection("otlp");
        Unknown(otlp, "otlp:", OtlpKeys);
        var copy = config.GetSection("copy");
        Unknown(copy, "copy:", CopyKeys);
        var cluster = config.GetSection("cluster");
        Unknown(cluster, "cluster:", ClusterKeys);
        var checkpoints = config.GetSection("checkpoints");
        Unknown(checkpoints, "checkpoints:", CheckpointKeys);
        var settings = new DaemonSettings
        {
            Listen = String(config, "listen") ?? "http://127.0.0.1:8080",
            MaxConcurrentRuns = (int)Number(config, "maxConcurrentRuns", 4, min: 1, max: 256),
            ShutdownGrace = Seconds(config, "shutdownGraceSeconds", 30, min: 0),
            StartupJitter = Seconds(config, "startupJitterSeconds", 10, min: 0),
            MisfireThreshold = Seconds(config, "misfireThresholdSeconds", 60, min: 1),
            OtlpEndpoint = Endpoint(otlp),
            OtlpProtocol = Protocol(otlp),
            OtlpExportInterval = Seconds(otlp, "exportIntervalSeconds", 60, min: 1, "otlp:"),
            Copy = Copy(copy),
            Cluster = Cluster(cluster),
            Checkpoints = Checkpoints(checkpoints),
            Tables = Tables(),
        };
        settings = settings with { Serve = Serve(settings.Tables) };
        if (!Uri.TryCreate(settings.Listen, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
            Problem("listen", $"'{settings.Listen}' is not an http:// or https:// address");
        if (_problems.Count > 0)
            throw new DaemonConfigException(_problems);
        return settings;
    }

    private List<TableSettings> Tables()
    {
        var tables = new List<TableSettings>();
        var sections = config.GetSection("tables").GetChildren().ToList();
        if (sections.Count == 0)
            Problem("tables", "no table is configured (add tables:<name> with source, target and cron or intervalSeconds)");
        foreach (var section in sections)
        {
            if (ReadTable(section) is { } table)
                tables.Add(table);
        }
        foreach (var clash in tables.GroupBy(t => Path.TrimEndingDirectorySeparator(t.Target), StringComparer.Ordinal).Where(g => g.Count() > 1))
            Problem($"tables:{clash.Last().Name}:target", $"'{clash.Key}' is also the target of {string.Join(", ", clash.SkipLast(1).Select(t => t.Name))}");
        return tables;
    }

    private TableSettings? ReadTable(IConfigurationSection section)
    {
        var name = section.Key;
        var prefix = $"tables:{name}:";
        var before = _problems.Count;
        if (name.Length > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            Problem($"tables:{name}", "a table name may only hold letters, digits, '_', '-' and '.' (it appears in URLs and metric labels)");
        Unknown(section, prefix, TableKeys);
        var source = Source(section, prefix);
        var target = Target(section, prefix);
        var cron = String(section, "cron");
        var interval = section["intervalSeconds"] is null ? (TimeSpan?)null : Seconds(section, "intervalSeconds", 0, min: 1, prefix);
        if (cron is null == interval is null)
            Problem(prefix + "cron", "give exactly one of cron and intervalSeconds");
        else if (cron is not null && CronProblem(cron) is { } reason)
            Problem(prefix + "cron", reason);
        var from = StartPoint.Latest;
        if (String(section, "from") is { } fromText)
        {
            try { from = StartPoint.Parse(fromText); }
            catch (FormatException) { Problem(prefix + "from", $"'{fromText}' is not 'auto', 'latest', '0' or a version number"); }
        }
        var misfire = Enum(section, "misfire", MisfirePolicy.RunOnce, prefix);
        if (_problems.Count > before || source is null || target is null)
            return null;
        return new TableSettings { Name = name, Source = source, Target = target, Cron = cron, Interval = interval, From = from, Misfire = misfire };
    }

    private CopySettings Copy(IConfigurationSection copy)
    {
        var defaults = new SyncOptions();
        const string prefix = "copy:";
        // A configured count is fixed; by default the copy starts at a few files and adds more while latency dominates.
        int? files = copy["maxConcurrentFiles"] is null ? null : (int)Number(copy, "maxConcurrentFiles", 0, min: 1, max: 256, prefix);
        return new CopySettings
        {
            ConcurrentFilesAtStart = files ?? defaults.ConcurrentFilesAtStart,
            MaxConcurrentFiles = files ?? defaults.MaxConcurrentFiles,
            StreamsPerFile = (int)Number(copy, "streamsPerFile", defaults.StreamsPerFile, min: 1, max: 64, prefix),
            PartSize = (long)Number(copy, "partSizeMiB", defaults.PartSize >> 20, min: 5, max: 5120, prefix) << 20,
            MemoryCeiling = (long)Number(copy, "memoryCeilingMiB", defaults.MemoryCeiling >> 20, min: 16, max: 1 << 20, prefix) << 20,
            PageSize = (int)Number(copy, "pageSize", defaults.PageSize, min: 1, max: 1_000_000, prefix),
            FilesPerRequest = (int)Number(copy, "filesPerRequest", defaults.FilesPerRequest, min: 1, max: 10_000_000, prefix),
            BandwidthBytesPerSecond = copy["bandwidthBytesPerSecond"] is null ? null : (long)Number(copy, "bandwidthBytesPerSecond", 0, min: 1024, prefix: prefix),
            ByteBudgetPerRun = copy["byteBudgetPerRun"] is null ? null : (long)Number(copy, "byteBudgetPerRun", 0, min: 1, prefix: prefix),
        };
    }

    private ClusterSettings? Cluster(IConfigurationSection cluster)
    {
        const string prefix = "cluster:";
        if (!cluster.GetChildren().Any())
            return null;
        var interval = Seconds(cluster, "checkinIntervalSeconds", 10, min: 0.5, prefix);
        if (String(cluster, "postgres") is not { } connection)
        {
            Problem(prefix + "postgres", "missing: the Npgsql connection string of the database the cluster's nodes share");
            return null;
        }
        // The message names the key at fault, never a value: the string may hold a password.
        try
        {
            if (string.IsNullOrEmpty(new Npgsql.NpgsqlConnectionStringBuilder(connection).Host))
                Problem(prefix + "postgres", "the connection string names no Host");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            Problem(prefix + "postgres", "not an Npgsql connection string (Host=...;Port=...;Database=...;Username=...;Password=...)");
            return null;
        }
        return new ClusterSettings { Postgres = connection, CheckinInterval = interval };
    }

    private CheckpointPolicy Checkpoints(IConfigurationSection section)
    {
        var defaults = new CheckpointPolicy();
        const string prefix = "checkpoints:";
        return new CheckpointPolicy
        {
            Every = (int)Number(section, "every", defaults.Every, min: 0, max: 1_000_000, prefix),
            Interval = Seconds(section, "intervalSeconds", defaults.Interval.TotalSeconds, min: 0, prefix),
        };
    }

    private TableAddress? Source(IConfigurationSection section, string prefix)
    {
        if (String(section, "source") is not { } text)
        {
            Problem(prefix + "source", "missing: the provider table as <profile-file>#<share>.<schema>.<table>");
            return null;
        }
        TableAddress address;
        try
        {
            address = TableAddress.Parse(text);
        }
        catch (FormatException e)
        {
            Problem(prefix + "source", e.Message);
            return null;
        }
        address = address with { ProfilePath = Path.GetFullPath(address.ProfilePath, baseDirectory) };
        try
        {
            SharingProfile.Load(address.ProfilePath);
        }
        catch (SharingException e)
        {
            Problem(prefix + "source", $"unreadable profile: {e.Message}");
            return null;
        }
        return address;
    }

    private string? Target(IConfigurationSection section, string prefix)
    {
        if (String(section, "target") is not { } text)
        {
            Problem(prefix + "target", "missing: where the replica goes (a directory, file://, or s3://bucket/prefix)");
            return null;
        }
        var target = text.Contains("://", StringComparison.Ordinal) ? text : Path.GetFullPath(text, baseDirectory);
        try
        {
            // Opened only to check the address; the daemon opens its own stores (TargetStores), so release this one.
            (ObjectStores.Open(target) as IDisposable)?.Dispose();
            return target;
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or FormatException or UriFormatException or InvalidOperationException)
        {
            Problem(prefix + "target", e.Message);
            return null;
        }
    }

    /// <summary>Why <paramref name="cron"/> is not a Quartz cron expression, or null when it is one.</summary>
    internal static string? CronProblem(string cron)
    {
        try
        {
            _ = new CronExpression(cron);
            return null;
        }
        catch (FormatException e)
        {
            return $"'{cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year]): {e.Message}";
        }
    }

    private Uri? Endpoint(IConfigurationSection otlp)
    {
        if (String(otlp, "endpoint") is not { } text)
            return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            return uri;
        Problem("otlp:endpoint", $"'{text}' is not an http:// or https:// address");
        return null;
    }

    private string Protocol(IConfigurationSection otlp)
    {
        var protocol = String(otlp, "protocol") ?? "grpc";
        if (protocol is not ("grpc" or "http/protobuf"))
            Problem("otlp:protocol", $"'{protocol}' is not 'grpc' or 'http/protobuf'");
        return protocol;
    }

    private void Unknown(IConfiguration section, string prefix, string[] known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                Problem(prefix + child.Key, $"unknown setting (known: {string.Join(", ", known)})");
        }
    }

    private static string? String(IConfiguration section, string key) =>
        section[key] is { Length: > 0 } value ? value.Trim() : null;

    private double Number(IConfiguration section, string key, double fallback, double min, double max = double.MaxValue, string prefix = "")
    {
        if (section[key] is not { } text)
            return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        Problem(prefix + key, max == double.MaxValue ? $"'{text}' is not a number of at least {min}" : $"'{text}' is not a number from {min} to {max}");
        return fallback;
    }

    private TimeSpan Seconds(IConfiguration section, string key, double fallback, double min, string prefix = "") =>
        TimeSpan.FromSeconds(Number(section, key, fallback, min, max: 7 * 24 * 3600, prefix));

    private T Enum<T>(IConfiguration section, string key, T fallback, string prefix) where T : struct, Enum
    {
        if (String(section, key) is not { } text)
            return fallback;
        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0]))
            return value;
        Problem(prefix + key, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}");
        return fallback;
    }

    private void Problem(string key, string reason) => _problems.Add(new ConfigProblem(key, reason));
}
