namespace ReplicaSync.Sharing;

/// <summary>The last line of a query response: tokens for refreshing URLs or fetching the next page, and the earliest URL expiry (ms).</summary>
public sealed record EndStreamLine(string? RefreshToken, string? NextPageToken, long? MinUrlExpirationTimestamp) : SharingLine;
