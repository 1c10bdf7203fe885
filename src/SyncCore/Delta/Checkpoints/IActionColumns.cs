namespace ReplicaSync.Delta;

/// <summary>The columns of one action kind in a checkpoint row group; <see cref="Next"/> advances one row.</summary>
internal interface IActionColumns
{
    /// <summary>Moves to the next row and returns its action of this kind, or null when the row holds another kind.</summary>
    DeltaAction? Next();
}
