using ReplicaSync.Sync;

namespace ReplicaSync.Tests.Sync;

/// <summary>How a replica's held versions are said, from its log's commit and checkpoint versions.</summary>
public class HeldVersionsTests
{
    [Theory]
    [InlineData(new long[] { 0, 1, 2, 3 }, new long[] { }, "full history from 0")]
    [InlineData(new long[] { 0, 1, 2, 3 }, new long[] { 2 }, "full history from 0")]
    [InlineData(new long[] { 13, 14, 15 }, new long[] { 12 }, "from 12 (snapshot), then every version")]
    [InlineData(new long[] { }, new long[] { 12 }, "snapshot at 12")]
    [InlineData(new long[] { 19, 40 }, new long[] { 12, 19, 40 }, "snapshot steps at 12, 19, 40")]
    [InlineData(new long[] { 0, 1, 2, 10 }, new long[] { 10 }, "full history from 0 to 2, then snapshot steps at 10")]
    [InlineData(new long[] { 5, 6, 9, 20 }, new long[] { 4, 9, 20 }, "from 4 (snapshot), then every version to 6, then snapshot steps at 9, 20")]
    public void Describes_the_versions_a_log_holds(long[] commits, long[] checkpoints, string expected) =>
        Assert.Equal(expected, HeldVersions.Describe(commits, checkpoints));

    [Fact]
    public void An_empty_log_holds_nothing() => Assert.Null(HeldVersions.Describe([], []));
}
