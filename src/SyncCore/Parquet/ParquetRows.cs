namespace ReplicaSync.Parquet;

/// <summary>
/// Whole files as nested records, for tests and small data (slow: every value is boxed). A record is a
/// <c>Dictionary&lt;string, object?&gt;</c>; a MAP is a <c>List&lt;KeyValuePair&lt;object?, object?&gt;&gt;</c> (any
/// dictionary is accepted on write); a LIST or unannotated repeated field a <c>List&lt;object?&gt;</c>; leaves are
/// bool, int, long, float, double, string (String/Json/Enum) or byte[] (other binaries, fixed-length, Int96).
/// </summary>
public static class ParquetRows
{
    public static List<Dictionary<string, object?>> ReadAll(ParquetFileReader reader)
    {
        var rows = new List<Dictionary<string, object?>>();
        var leaves = reader.Schema.Leaves().ToArray();
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            var columns = new ColumnData[leaves.Length];
            for (var i = 0; i < leaves.Length; i++)
                columns[i] = reader.ReadColumn(group, leaves[i]);
            RecordAssembler.Assemble(reader.Name, reader.Schema, columns, reader.GetRowCount(group), rows);
        }
        return rows;
    }

    /// <summary>Writes <paramref name="rows"/> as one row group (none when empty). The stream stays open.</summary>
    public static void Write(Stream output, SchemaNode schema, IReadOnlyList<Dictionary<string, object?>> rows, ParquetWriteOptions? options = null)
    {
        var columns = RecordShredder.Shred(schema, rows);
        using var writer = new ParquetFileWriter(output, schema, options);
        if (rows.Count > 0)
            writer.WriteRowGroup(columns);
    }
}
