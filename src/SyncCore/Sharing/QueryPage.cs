namespace ReplicaSync.Sharing;

/// <summary>One response of a (possibly paged) query: its headers, and its lines read from the body when enumerated.</summary>
internal sealed record QueryPage(
    long Version,
    ResponseFormat Format,
    string What,
    HttpResponseMessage Response,
    Func<CancellationToken, IAsyncEnumerable<SharingLine>> Read);
