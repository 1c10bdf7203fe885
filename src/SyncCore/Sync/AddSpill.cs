using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Sync;

/// <summary>
/// The full add actions (stats, tags, the copy's checksum) of a snapshot bootstrap, spilled to a local temp file as
/// their files become durable and read back once for the first checkpoint: the replica's own slim snapshot is all the
/// bootstrap keeps in memory per file. The file is a <see cref="ScratchFile"/>: gone with the spill, or with the process.
/// </summary>
internal sealed class AddSpill : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly Channel<AddFile> _pending = Channel.CreateUnbounded<AddFile>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public AddSpill()
    {
        _file = ScratchFile.Create("replicasync-adds", ".ndjson", FileOptions.Asynchronous);
        _writer = Task.Run(WriteAllAsync);
    }

    /// <summary>Spills an add whose file is durable; callable from any thread.</summary>
    public void Add(AddFile add) => _pending.Writer.TryWrite(add);

    /// <summary>Every add spilled, once the last one has been added; enumerate once.</summary>
    public async IAsyncEnumerable<AddFile> ReadBackAsync([EnumeratorCancellation] CancellationToken ct)
    {
        _pending.Writer.TryComplete();
        await _writer;
        await _file.FlushAsync(ct);
        _file.Position = 0;
        var reader = new NdjsonLineReader(_file);
        while (await reader.ReadLineAsync(ct) is { } line)
            yield return (AddFile)ActionCodec.Parse(line.Span, "the bootstrap's spilled adds");
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _file.DisposeAsync();
    }

    // Each line goes through a memory buffer into the file's own buffer: a writer over the file would flush it per line.
    private async Task WriteAllAsync()
    {
        using var lines = new ActionLineEncoder();
        await foreach (var add in _pending.Reader.ReadAllAsync())
            _file.Write(lines.Encode(add));
    }
}
