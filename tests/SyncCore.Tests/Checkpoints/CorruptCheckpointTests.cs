using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Checkpoints;

/// <summary>
/// A checkpoint that is not a readable Parquet file, or not a checkpoint, fails with a <see cref="DeltaFormatException"/>
/// that names the file, whatever Parquet.Net threw underneath; damage never surfaces as another exception.
/// </summary>
public sealed class CorruptCheckpointTests : IDisposable
{
    private const string Name = "00000000000000000001.checkpoint.parquet";
    private readonly TempDirectory _directory = new("corrupt-checkpoint");
    private readonly byte[] _valid = CheckpointWriter.EncodeAsync(WrittenCheckpoint.Snapshot(), WrittenCheckpoint.LiveAdds().ToAsyncEnumerable(),
        WrittenCheckpoint.RowGroupRows, default).GetAwaiter().GetResult().Bytes;

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(100)]
    [InlineData(-1)]
    [InlineData(-8)]
    public async Task A_truncated_checkpoint_is_rejected_by_name(int keep)
    {
        var bytes = keep >= 0 ? _valid[..Math.Min(keep, _valid.Length)] : _valid[..^-keep];
        await AssertRejectedAsync(bytes, CheckpointRead.Replay);
    }

    [Fact]
    public async Task Bytes_that_are_not_Parquet_are_rejected_by_name() =>
        await AssertRejectedAsync("{\"add\":{\"path\":\"x\"}}\n"u8.ToArray(), CheckpointRead.Replay);

    [Fact]
    public async Task A_footer_length_past_the_file_is_rejected_by_name()
    {
        var bytes = (byte[])_valid.Clone();
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 8, 4), 0x7FFF_FFF0);
        await AssertRejectedAsync(bytes, CheckpointRead.Adds);
    }

    [Fact]
    public async Task A_checkpoint_column_of_the_wrong_type_is_rejected_by_name()
    {
        var path = _directory.Combine(Name);
        NodeReaders.WriteWithDuckDb([(path, "COMPRESSION snappy", "SELECT {'path': 42, 'size': 1::BIGINT} AS add")]);
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => ReadAsync(CheckpointRead.Replay));
        Assert.Contains(Name, e.Message, StringComparison.Ordinal);
        Assert.Contains("add/path", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Random_damage_gives_a_named_error_or_actions_never_another_exception(bool footerOnly)
    {
        var random = new Random(footerOnly ? 11 : 7);
        var footerLength = BitConverter.ToInt32(_valid, _valid.Length - 8);
        var start = footerOnly ? _valid.Length - 8 - footerLength : 4;
        var rejected = 0;
        for (var round = 0; round < 80; round++)
        {
            var bytes = (byte[])_valid.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
                bytes[random.Next(start, bytes.Length - 8)] = (byte)random.Next(256);
            await File.WriteAllBytesAsync(_directory.Combine(Name), bytes);
            try
            {
                await ReadAsync(CheckpointRead.Adds);
                await ReadAsync(CheckpointRead.Replay);
            }
            catch (DeltaFormatException e)
            {
                Assert.Contains(Name, e.Message, StringComparison.Ordinal);
                rejected++;
            }
        }
        Assert.True(rejected > 0, "no damage was detected at all");
    }

    private async Task AssertRejectedAsync(byte[] bytes, CheckpointRead read)
    {
        await File.WriteAllBytesAsync(_directory.Combine(Name), bytes);
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => ReadAsync(read));
        Assert.Contains(Name, e.Message, StringComparison.Ordinal);
    }

    private Task<List<DeltaAction>> ReadAsync(CheckpointRead read) =>
        CheckpointReader.ReadAsync(new LocalObjectStore(_directory.Path), new CheckpointInfo(1, [Name]), read, default).ToListAsync().AsTask();

    public void Dispose() => _directory.Dispose();
}
