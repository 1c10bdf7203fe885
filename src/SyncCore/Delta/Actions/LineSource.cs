namespace ReplicaSync.Delta;

/// <summary>Where a line came from, for error messages: a file (or other source) and its 1-based line, 0 when unknown.</summary>
public readonly record struct LineSource(string File, long Line)
{
    public override string ToString() => Line > 0 ? $"{File} line {Line}" : File;
}
