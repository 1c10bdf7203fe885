namespace ReplicaSync.Storage.Gcs;

/// <summary>Supplies the OAuth2 bearer token for each GCS request; implementations cache and refresh it.</summary>
public interface IGcsTokenSource
{
    /// <summary>A bearer token for the next request, or null to send no Authorization header (emulators).</summary>
    ValueTask<string?> GetTokenAsync(CancellationToken ct);
}
