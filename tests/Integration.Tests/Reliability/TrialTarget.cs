using ReplicaSync.Storage;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// One replica location of a trial: the address the CLI and the daemon are given, the environment that configures
/// its store for them, and a way for the checks to open the same store in-process (our own reader).
/// </summary>
internal sealed record TrialTarget(string Address, IReadOnlyDictionary<string, string> Environment, Func<IObjectStore> Open);
