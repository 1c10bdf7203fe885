namespace ReplicaSync.Daemon.Http;

/// <summary>The body of <c>/readyz</c>: ready, or the problems by component (the scheduler, or a table's store).</summary>
internal sealed record ReadinessReply(bool Ready, Dictionary<string, string> Problems);

/// <summary>The body of an accepted on-demand run.</summary>
internal sealed record TriggerReply(string Table, bool Queued);

/// <summary>The body of a refused request.</summary>
internal sealed record ErrorReply(string Error);
