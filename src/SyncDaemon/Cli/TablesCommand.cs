using System.CommandLine;
using System.Text.Json;
using ReplicaSync.Daemon.Progress;
using ReplicaSync.Sharing;
using ReplicaSync.Sharing.Survey;
using Spectre.Console;

namespace ReplicaSync.Daemon.Cli;

/// <summary><c>replicasync tables</c>: every table a profile grants, with its version and whether history and change data are shared.</summary>
public static class TablesCommand
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "Delta Sharing profile file", Required = true };
        var json = new Option<bool>("--json") { Description = "print a JSON array instead of a table" };
        var command = new Command("tables", "List every share.schema.table the profile grants, with its latest version and what is shared.") { profile, json };
        command.SetAction((result, cancel) => CliErrors.Guard(cancel, async ct =>
        {
            var path = Path.GetFullPath(result.GetValue(profile)!);
            using var client = new SharingClient(SharingProfile.Load(path));
            var survey = new TableSurvey(client, path);
            var summaries = await survey.DescribeAsync(await survey.ListAsync(ct), ct);
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(summaries, CliJsonContext.Default.IReadOnlyListTableSummary));
            else
                Print(summaries);
            return 0;
        }));
        return command;
    }

    private static void Print(IReadOnlyList<TableSummary> summaries)
    {
        var console = Terminal.For(Console.Out);
        var table = new Table().AddColumns("table", "version", "history", "change data");
        foreach (var s in summaries)
            table.AddRow(Markup.Escape(s.QualifiedName), s.Version?.ToString() ?? "?", YesNo(s.HistoryShared), YesNo(s.ChangeDataShared));
        table.Caption($"{summaries.Count} table(s) in {summaries.Select(s => s.Share).Distinct().Count()} share(s); ? = the server did not tell");
        console.Write(table);
        foreach (var failed in summaries.Where(s => s.Error is not null))
            Console.WriteLine($"{failed.QualifiedName}: {failed.Error}");
    }

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "?" };
}
