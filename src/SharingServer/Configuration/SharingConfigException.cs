namespace ReplicaSync.SharingServer;

/// <summary>The server configuration is invalid; each problem names its JSON path.</summary>
public sealed class SharingConfigException(IReadOnlyList<string> problems)
    : Exception("invalid sharing server configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
