namespace ReplicaSync.Delta;

/// <summary>
/// An append-only buffer that exposes its filled part as memory (which <see cref="List{T}"/> does not) and keeps
/// its capacity across <see cref="Clear"/>.
/// </summary>
internal sealed class GrowableArray<T>
{
    private T[] _items = new T[256];
    private int _count;

    public ReadOnlyMemory<T> Memory => _items.AsMemory(0, _count);

    public void Add(T item)
    {
        if (_count == _items.Length)
            Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = item;
    }

    /// <summary>Appends <paramref name="count"/> copies of <paramref name="item"/>.</summary>
    public void AddRepeated(T item, int count)
    {
        if (_count + count > _items.Length)
            Array.Resize(ref _items, Math.Max(_items.Length * 2, _count + count));
        _items.AsSpan(_count, count).Fill(item);
        _count += count;
    }

    public void Clear()
    {
        // References would otherwise keep the previous row group's strings alive.
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            Array.Clear(_items, 0, _count);
        _count = 0;
    }
}
