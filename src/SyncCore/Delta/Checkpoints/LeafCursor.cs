using Parquet.Schema;

namespace ReplicaSync.Delta;

/// <summary>A cursor over one leaf column; the column is attached once the row group is decoded (null: the file lacks it).</summary>
internal abstract class LeafCursor(DataField? leaf)
{
    public DataField? Leaf { get; } = leaf;
    protected int MaxDef { get; } = leaf?.MaxDefinitionLevel ?? 0;
    public LeafColumn? Data { get; set; }
}
