using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace ReplicaSync.Delta;

/// <summary>
/// One leaf column of one checkpoint row group as Parquet.Net decodes it: definition and repetition levels per entry
/// and the present values packed in front. The arrays are pooled; dispose once the row group is assembled.
/// </summary>
internal sealed class LeafColumn : IDisposable
{
    private int[]? _def, _rep;
    private ReadOnlyMemory<char>[]? _strings;
    private long[]? _longs;
    private int[]? _ints;
    private bool[]? _bools;

    private LeafColumn(DataField leaf, string file, int count)
    {
        Leaf = leaf;
        File = file;
        Count = count;
    }

    public DataField Leaf { get; }
    public string File { get; }
    public int Count { get; }

    public ReadOnlySpan<int> DefinitionLevels => _def.AsSpan(0, Count);
    public ReadOnlySpan<int> RepetitionLevels => _rep.AsSpan(0, Count);

    public string String(int value) => _strings is { } s ? new string(s[value].Span) : throw WrongType("a string");
    public long Int64(int value) => _longs is { } l ? l[value] : _ints is { } i ? i[value] : throw WrongType("an integer");
    public bool Boolean(int value) => _bools is { } b ? b[value] : throw WrongType("a boolean");

    public int Int32(int value)
    {
        var wide = Int64(value);
        return wide is >= int.MinValue and <= int.MaxValue ? (int)wide : throw Error($"holds {wide}, beyond a 32-bit integer");
    }

    /// <summary>
    /// Decodes <paramref name="leaf"/> of <paramref name="group"/>, checking that its levels describe exactly the row
    /// group's rows so that assembling rows can trust them. <paramref name="sizeLimit"/> bounds the entries a forged
    /// footer can make it allocate.
    /// </summary>
    public static async Task<LeafColumn> ReadAsync(ParquetRowGroupReader group, DataField leaf, string file, long sizeLimit, CancellationToken ct)
    {
        var entries = group.GetMetadata(leaf)?.MetaData?.NumValues ?? 0;
        if (entries < 0 || entries > sizeLimit)
            throw new DeltaFormatException($"checkpoint '{file}': column {leaf.Path} claims {entries} entries");
        var column = new LeafColumn(leaf, file, (int)entries);
        try
        {
            await column.DecodeAsync(group, ct);
            column.CheckLevels(group.RowCount);
            return column;
        }
        catch (Exception e)
        {
            column.Dispose();
            if (e is OperationCanceledException or DeltaFormatException)
                throw;
            throw Corrupt(file, $"column {leaf.Path} cannot be decoded", e);
        }
    }

    private async Task DecodeAsync(ParquetRowGroupReader group, CancellationToken ct)
    {
        _def = ArrayPool<int>.Shared.Rent(Count);
        Memory<int> def = _def.AsMemory(0, Count);
        Memory<int>? rep = null;
        if (Leaf.MaxRepetitionLevel > 0)
        {
            _rep = ArrayPool<int>.Shared.Rent(Count);
            rep = _rep.AsMemory(0, Count);
        }
        var type = Leaf.ClrType;
        if (type == typeof(ReadOnlyMemory<char>))
            await group.ReadRawAsync(Leaf, (_strings = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(Count)).AsMemory(0, Count), def, rep, ct);
        else if (type == typeof(long))
            await group.ReadRawAsync(Leaf, (_longs = ArrayPool<long>.Shared.Rent(Count)).AsMemory(0, Count), def, rep, ct);
        else if (type == typeof(int))
            await group.ReadRawAsync(Leaf, (_ints = ArrayPool<int>.Shared.Rent(Count)).AsMemory(0, Count), def, rep, ct);
        else if (type == typeof(bool))
            await group.ReadRawAsync(Leaf, (_bools = ArrayPool<bool>.Shared.Rent(Count)).AsMemory(0, Count), def, rep, ct);
        else
            throw WrongType("a string, integer or boolean");
    }

    private void CheckLevels(long rows)
    {
        var maxDef = Leaf.MaxDefinitionLevel;
        foreach (var level in DefinitionLevels)
        {
            if ((uint)level > (uint)maxDef)
                throw Error($"has definition level {level} above {maxDef}");
        }
        var starts = Count;
        if (_rep is not null)
        {
            starts = 0;
            foreach (var level in RepetitionLevels)
            {
                if ((uint)level > (uint)Leaf.MaxRepetitionLevel)
                    throw Error($"has repetition level {level}");
                if (level == 0)
                    starts++;
            }
            if (Count > 0 && RepetitionLevels[0] != 0)
                throw Error("does not start with a new row");
        }
        if (starts != rows)
            throw Error($"holds {starts} rows, its row group {rows}");
    }

    /// <summary>Parquet.Net's errors do not say which file; this one does.</summary>
    public static DeltaFormatException Corrupt(string file, string what, Exception inner) =>
        new($"checkpoint '{file}': {what}: {inner.Message}", inner);

    private DeltaFormatException WrongType(string expected) => Error($"is {Leaf.ClrType.Name}, expected {expected}");

    private DeltaFormatException Error(string what) => new($"checkpoint '{File}': column {Leaf.Path} {what}");

    public void Dispose()
    {
        Return(ref _def);
        Return(ref _rep);
        Return(ref _strings, clear: true);
        Return(ref _longs);
        Return(ref _ints);
        Return(ref _bools);
    }

    private static void Return<T>(ref T[]? array, bool clear = false)
    {
        if (array is not null)
            ArrayPool<T>.Shared.Return(array, clear);
        array = null;
    }
}
