namespace ReplicaSync.SharingServer.Tests;

/// <summary>One server over the shared (read-only) test tables for a whole test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
