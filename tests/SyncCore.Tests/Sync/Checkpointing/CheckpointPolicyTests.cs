using ReplicaSync.Sync.Checkpointing;

namespace ReplicaSync.Tests.Sync.Checkpointing;

public class CheckpointPolicyTests
{
    private static readonly CheckpointPolicy Policy = new() { Every = 10, Interval = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData(9, 60, false)]   // fewer commits than Every: never, however long ago
    [InlineData(10, 9, false)]   // enough commits, but the run's previous checkpoint is too recent
    [InlineData(10, 10, true)]
    [InlineData(5000, 10, true)]
    public void During_a_run_a_checkpoint_needs_n_commits_and_the_interval(long commits, int seconds, bool due) =>
        Assert.Equal(due, Policy.IsDue(commits, TimeSpan.FromSeconds(seconds), runEnded: false));

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(2001, true)]
    public void At_the_end_of_a_run_n_commits_are_enough(long commits, bool due) =>
        Assert.Equal(due, Policy.IsDue(commits, TimeSpan.Zero, runEnded: true));

    [Fact]
    public void Never_is_never_due() =>
        Assert.False(CheckpointPolicy.Never.IsDue(1_000_000, TimeSpan.FromDays(1), runEnded: true));
}
