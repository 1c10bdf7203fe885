namespace ReplicaSync.Storage.Gcs;

/// <summary>Sends no credentials: for emulators, which check none, and public test endpoints.</summary>
public sealed class AnonymousGcsTokenSource : IGcsTokenSource
{
    public static readonly AnonymousGcsTokenSource Instance = new();

    private AnonymousGcsTokenSource()
    {
    }

    public ValueTask<string?> GetTokenAsync(CancellationToken ct) => ValueTask.FromResult<string?>(null);
}
