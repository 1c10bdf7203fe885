using System.CommandLine;
using ReplicaSync.Daemon.Configuration;
using ReplicaSync.Daemon.Init;
using ReplicaSync.Sharing;
using ReplicaSync.Sharing.Survey;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync init</c>: writes a commented daemon configuration replicating the tables a profile grants.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "Delta Sharing profile file", Required = true };
        var targetRoot = new Option<string>("--target-root") { Description = "where replicas go: a directory, s3://, az://, abfss:// or gs:// URL", Required = true };
        var tables = new Option<string>("--tables") { Description = "comma-separated globs over share.schema.table", DefaultValueFactory = _ => "*" };
        var config = new Option<string>("--config") { Description = "the configuration file to write", DefaultValueFactory = _ => "replicasync.json" };
        var cron = new Option<string>("--cron") { Description = "Quartz cron schedule of every table", DefaultValueFactory = _ => "0 */15 * * * ?" };
        var force = new Option<bool>("--force") { Description = "overwrite an existing configuration file" };
        var command = new Command("init", "Write a daemon configuration (replicasync run --config) for the tables a profile grants.")
            { profile, targetRoot, tables, config, cron, force };
        command.SetAction((result, cancel) => CliErrors.Guard(cancel, async ct =>
        {
            var configPath = Path.GetFullPath(result.GetValue(config)!);
            var configDir = Path.GetDirectoryName(configPath)!;
            var schedule = result.GetValue(cron)!;
            CheckCron(schedule);
            var layout = new TargetLayout(result.GetValue(targetRoot)!, configDir);
            var glob = new TableGlob(result.GetValue(tables)!);
            var overwrite = result.GetValue(force);
            if (File.Exists(configPath) && !overwrite)
                throw new IOException($"{configPath} already exists; pass --force to overwrite it");

            var profilePath = Path.GetFullPath(result.GetValue(profile)!);
            using var client = new SharingClient(SharingProfile.Load(profilePath));
            var granted = await new TableSurvey(client, profilePath).ListAsync(ct);
            var entries = Entries(granted.Where(t => glob.Matches($"{t.Share}.{t.Schema}.{t.Name}")), Path.GetRelativePath(configDir, profilePath), layout);
            if (entries.Count == 0)
            {
                Console.Error.WriteLine($"error: no table matches --tables '{glob.Text}' (the profile grants {granted.Count}; list them with replicasync tables --profile)");
                return 1;
            }
            Write(configPath, DaemonConfigTemplate.Render(entries, schedule), overwrite);
            Console.WriteLine($"wrote {configPath} with {entries.Count} table(s); start it with: replicasync run --config {configPath}");
            return 0;
        }));
        return command;
    }

    private static void CheckCron(string cron)
    {
        if (SettingsReader.CronProblem(cron) is { } problem)
            throw new ArgumentException($"--cron: {problem}");
    }

    private static List<InitTable> Entries(IEnumerable<TableInfo> tables, string relativeProfile, TargetLayout layout)
    {
        var keys = new TableKeys();
        var entries = new List<InitTable>();
        foreach (var table in tables)
        {
            var source = $"{relativeProfile}#{table.Share}.{table.Schema}.{table.Name}";
            // A name holding '.' or '#' cannot be written as a table address; say so rather than write a config run rejects.
            if (!Addressable(source, table))
            {
                Console.Error.WriteLine($"skipped {table.Share}.{table.Schema}.{table.Name}: its name cannot be written as <profile>#<share>.<schema>.<table>");
                continue;
            }
            entries.Add(new InitTable(keys.Next(table.Share, table.Schema, table.Name), source, layout.For(table.Share, table.Schema, table.Name)));
        }
        return entries;
    }

    private static bool Addressable(string source, TableInfo table)
    {
        try
        {
            var parsed = TableAddress.Parse(source);
            return parsed.Share == table.Share && parsed.Schema == table.Schema && parsed.Table == table.Name;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Writes through a temporary file, so a crash never leaves half a configuration; without --force an existing file is kept.</summary>
    private static void Write(string path, string text, bool overwrite)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
