namespace ReplicaSync.Daemon.Configuration;

/// <summary>One thing wrong with the configuration: the key (<c>tables:orders:cron</c>) and why.</summary>
public sealed record ConfigProblem(string Key, string Reason)
{
    public override string ToString() => $"{Key}: {Reason}";
}

/// <summary>The configuration has problems; the daemon lists them all and refuses to start.</summary>
public sealed class DaemonConfigException(IReadOnlyList<ConfigProblem> problems)
    : Exception($"the configuration has {problems.Count} problem(s):" + string.Concat(problems.Select(p => "\n  " + p)))
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;
}
