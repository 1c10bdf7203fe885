using System.Runtime.InteropServices;

namespace ReplicaSync.Daemon.Cli;

/// <summary>
/// A token cancelled on SIGTERM, SIGINT or SIGQUIT (containers stop processes with SIGTERM). Program turns
/// System.CommandLine's own signal handling off (ProcessTerminationTimeout null), so its token never sees them.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal(CancellationToken linked)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(linked);
        _registrations = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT }.Select(signal =>
            PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                _cts.Cancel();
            }))];
    }

    public CancellationToken Token => _cts.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _cts.Dispose();
    }
}
