using ReplicaSync.Memory;

namespace ReplicaSync.Tests.Memory;

/// <summary>When a bulk phase gives back the memory the GC keeps committed beyond the live heap.</summary>
public sealed class HeapSlackTests
{
    private const long MiB = 1 << 20;

    [Theory]
    // A small heap: slack up to the bound is left alone, past it collected.
    [InlineData(100, 228, false)]
    [InlineData(100, 229, true)]
    [InlineData(0, 128, false)]
    [InlineData(0, 129, true)]
    // A heap larger than the bound: the slack must exceed the heap itself, so a collection frees at least what it walks.
    [InlineData(1024, 2000, false)]
    [InlineData(1024, 2049, true)]
    // Committed below the last full collection's heap (memory given back since): nothing to trim.
    [InlineData(300, 200, false)]
    public void Trims_only_when_the_slack_exceeds_both_the_bound_and_the_live_heap(long liveMiB, long committedMiB, bool trims) =>
        Assert.Equal(trims, HeapSlack.Exceeds(committedMiB * MiB, liveMiB * MiB));
}
