using ReplicaSync.Delta;
using ReplicaSync.Sharing;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Scheduling;

/// <summary>The short, stable error kinds failed runs are counted by (a metric label, so a small fixed set).</summary>
public static class ErrorKind
{
    public static string Of(Exception e) => e switch
    {
        SharingProfileException => "profile",
        SharingHttpException { StatusCode: 401 or 403 } => "provider_auth",
        SharingHttpException { StatusCode: 404 } => "provider_not_found",
        SharingHttpException => "provider_http",
        Sharing.Auth.TokenEndpointException { StatusCode: 400 or 401 or 403 } => "provider_auth",
        SharingException => "provider",
        CommitConflictException => "commit_conflict",
        DeltaFormatException => "delta_format",
        SyncException => "sync",
        HttpRequestException => "network",
        IOException or UnauthorizedAccessException => "storage",
        TimeoutException or OperationCanceledException => "timeout",
        _ => "internal",
    };
}
