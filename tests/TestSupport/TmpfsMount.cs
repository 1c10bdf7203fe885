using System.Diagnostics;

namespace ReplicaSync.TestSupport;

/// <summary>
/// A real small filesystem: a tmpfs of a given size mounted on a fresh temp directory, so writes past its size fail
/// as the kernel fails them (ENOSPC, "No space left on device"). Mounting needs root (CAP_SYS_ADMIN), as the test
/// container and CI run; without it the test fails saying so, never skips, because a skipped full-disk test would
/// look like a passing one. Dispose unmounts and removes the directory.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory;

    private TmpfsMount(TempDirectory directory) => _directory = directory;

    /// <summary>The mount point.</summary>
    public string Path => _directory.Path;

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> (rounded up to pages by the kernel).</summary>
    public static async Task<TmpfsMount> MountAsync(long bytes)
    {
        var directory = new TempDirectory("tmpfs");
        try
        {
            await RunAsync($"mounting a {bytes}-byte tmpfs", "mount", "-t", "tmpfs", "-o", $"size={bytes},mode=0755", "tmpfs", directory.Path);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
        return new TmpfsMount(directory);
    }

    /// <summary>Gives the filesystem a new size; its files stay (<c>mount -o remount,size=</c>).</summary>
    public Task ResizeAsync(long bytes) =>
        RunAsync($"resizing the tmpfs to {bytes} bytes", "mount", "-o", $"remount,size={bytes}", Path);

    public void Dispose()
    {
        using var umount = Process.Start(new ProcessStartInfo("umount", [Path]) { RedirectStandardError = true });
        umount?.WaitForExit(CommandLimit);
        _directory.Dispose();
    }

    private static async Task RunAsync(string what, string executable, params string[] args)
    {
        var start = new ProcessStartInfo(ChildServer.Require(executable, "the full-disk test mounts a small tmpfs"), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var limit = new CancellationTokenSource(CommandLimit);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        await process.WaitForExitAsync(limit.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{what} failed (`{executable} {string.Join(' ', args)}` exited {process.ExitCode}: {(await stderr).Trim()}). " +
                $"The full-disk test needs root (CAP_SYS_ADMIN) to mount a real small filesystem{(Environment.UserName == "root" ? "" : $"; it runs as {Environment.UserName}")}.");
    }
}
