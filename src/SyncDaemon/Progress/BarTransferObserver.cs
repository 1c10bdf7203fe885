using ReplicaSync.Sync;
using Spectre.Console;

namespace ReplicaSync.Daemon.Progress;

/// <summary>
/// Drives Spectre progress bars from a run: a bar per provider version (its planned bytes) and a total bar whose
/// size grows as versions are planned. Versions are copied one after another, so bytes go to the latest bar.
/// </summary>
internal sealed class BarTransferObserver : ISyncObserver
{
    private readonly ProgressContext _context;
    private readonly ProgressTask _total;
    private readonly string _title;
    private readonly Lock _gate = new();
    private ProgressTask? _version;
    // Planned bytes of the versions already committed: the total bar's value between versions.
    private double _done;

    public BarTransferObserver(ProgressContext context, string title)
    {
        _context = context;
        _title = title;
        _total = context.AddTask(Markup.Escape(title), maxValue: 1);
    }

    /// <summary>The start's cost is printed above the bars, where it stays once they finish.</summary>
    public void StartPlanned(StartCost cost) => AnsiConsole.MarkupLine(Markup.Escape(StartCostLine.Describe(_title, cost)));

    public void VersionPlanned(long version, int files, long bytes)
    {
        lock (_gate)
        {
            _version = _context.AddTaskBefore($"version {version} ({files} files)", _total, maxValue: Math.Max(1, bytes));
            _total.MaxValue = _done + _version.MaxValue;
        }
    }

    public void BytesCopied(long bytes) => Advance(bytes);

    public void FileCopied(long bytes, bool reused)
    {
        if (reused)
            Advance(bytes);
    }

    public void VersionCommitted(VersionReport report)
    {
        lock (_gate)
        {
            _done = _total.MaxValue;
            _total.Value = _done;
            if (_version is { } bar)
            {
                bar.Value = bar.MaxValue;
                bar.StopTask();
            }
            _version = null;
        }
    }

    /// <summary>Bytes outside a planned version (a snapshot bootstrap) grow the total as they come.</summary>
    private void Advance(long bytes)
    {
        lock (_gate)
        {
            if (_version is { } bar)
            {
                bar.Increment(bytes);
                _total.Value = _done + Math.Min(bar.Value, bar.MaxValue);
            }
            else
            {
                _total.MaxValue = Math.Max(_total.MaxValue, _total.Value + bytes);
                _total.Increment(bytes);
            }
        }
    }
}
