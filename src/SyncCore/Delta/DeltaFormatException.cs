namespace ReplicaSync.Delta;

/// <summary>A Delta log or action that does not follow the protocol; the message names the file and line.</summary>
public sealed class DeltaFormatException(string message, Exception? inner = null) : Exception(message, inner);
