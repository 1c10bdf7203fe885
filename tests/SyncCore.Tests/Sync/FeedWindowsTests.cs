using ReplicaSync.Sharing;
using ReplicaSync.Sync;

namespace ReplicaSync.Tests.Sync;

public class FeedWindowsTests
{
    [Fact]
    public void The_first_window_asks_for_a_few_versions_and_small_versions_widen_it_by_doubling_up_to_the_maximum()
    {
        var windows = new FeedWindows(maxVersions: 100, targetFiles: 20_000);
        var sizes = new List<int> { windows.Versions };
        for (var i = 0; i < 6; i++)
        {
            windows.Read(windows.Versions, lines: windows.Versions * 10L);
            sizes.Add(windows.Versions);
        }
        Assert.Equal([8, 16, 32, 64, 100, 100, 100], sizes);
    }

    [Fact]
    public void A_window_of_large_versions_narrows_the_next_at_once_to_what_fits_and_never_below_one_version()
    {
        var windows = new FeedWindows(maxVersions: 100, targetFiles: 20_000);
        windows.Read(8, lines: 8 * 5_000);
        Assert.Equal(4, windows.Versions);
        windows.Read(4, lines: 4 * 1_000_000);
        Assert.Equal(1, windows.Versions);
        // Back to small versions: it widens again, doubling.
        windows.Read(1, lines: 10);
        Assert.Equal(2, windows.Versions);
    }

    [Fact]
    public void Empty_windows_count_as_one_line_per_version_and_the_end_stops_at_the_goal()
    {
        var windows = new FeedWindows(maxVersions: 5, targetFiles: 3);
        Assert.Equal(5, windows.Versions);
        windows.Read(5, lines: 0);
        Assert.Equal(3, windows.Versions);
        Assert.Equal(12, windows.End(10, goal: 100));
        Assert.Equal(11, windows.End(10, goal: 11));
    }

    [Fact]
    public void A_window_is_counted_by_its_adds_removes_and_change_data_files()
    {
        var windows = new FeedWindows(maxVersions: 100, targetFiles: 6);
        var version = new ProviderVersion(0);
        version.Adds.Add(Line("a"));
        version.Removes.Add(Line("b"));
        version.ChangeFiles.Add(Line("c"));
        windows.Read([version, new ProviderVersion(1)]);
        // 3 lines over 2 versions: 1.5 per version, so 4 versions fit 6 lines.
        Assert.Equal(4, windows.Versions);
    }

    [Fact]
    public void Nonsense_limits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedWindows(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedWindows(10, 0));
    }

    private static FileLine Line(string id) =>
        new(FileActionKind.Add, id, "https://example.test/" + id, new Dictionary<string, string?>(), 1, null, true, 0, null, null, null, null);
}
