namespace ReplicaSync.Daemon;

/// <summary>The replicasync command line.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => Task.FromResult(args.Length == 0 ? 1 : 0);
}
