using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Sync;
using ReplicaSync.Sync.ChangeData;

namespace ReplicaSync.Tests.Sync;

public class ChangeDataSpansTests
{
    [Fact]
    public void Only_versions_whose_metadata_enables_the_feed_are_asked_for_in_contiguous_spans()
    {
        // Window 10..17: off at 10, on at 12 (kept through 13, 14), off at 15, on again at 16.
        var versions = Window(10, 8, (10, false), (12, true), (15, false), (16, true));
        Assert.Equal([(12L, 14L), (16L, 17L)], ChangeDataSpans.Recorded(versions));
    }

    [Fact]
    public void A_window_without_the_feed_or_without_metadata_asks_for_nothing()
    {
        Assert.Empty(ChangeDataSpans.Recorded(Window(0, 3, (0, false))));
        Assert.Empty(ChangeDataSpans.Recorded(Window(0, 3)));
        Assert.Equal([(5L, 5L)], ChangeDataSpans.Recorded(Window(5, 1, (5, true))));
    }

    private static List<ProviderVersion> Window(long from, int count, params (long Version, bool Enabled)[] metadata)
    {
        var versions = Enumerable.Range(0, count).Select(i => new ProviderVersion(from + i)).ToList();
        foreach (var (version, enabled) in metadata)
        {
            var configuration = new Dictionary<string, string?> { [ChangeDataSpans.EnableKey] = enabled ? "TRUE" : "false" };
            versions[(int)(version - from)].Metadata = new MetadataLine(new Metadata { Id = "t", SchemaString = "{}", Configuration = configuration }, version, null, null);
        }
        return versions;
    }
}
