using ReplicaSync.Sync;
using Spectre.Console;

namespace ReplicaSync.Daemon.Progress;

/// <summary>
/// Shows a sync run as it copies: Spectre.Console progress bars (bytes, rate, ETA; one per version and a total) on
/// a terminal, plain lines per committed version otherwise (logs and CI stay readable).
/// </summary>
public static class TransferDisplay
{
    /// <summary>Runs <paramref name="run"/> with an observer that drives the display.</summary>
    public static Task<T> RunAsync<T>(string title, Func<ISyncObserver, Task<T>> run)
    {
        if (!Terminal.Interactive)
        {
            Console.WriteLine(title);
            return run(new PlainTransferObserver(Console.Out, title));
        }
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(context => run(new BarTransferObserver(context, title)));
    }
}
