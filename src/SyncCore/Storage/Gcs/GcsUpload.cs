using System.Net;
using System.Runtime.ExceptionServices;
using Google;
using Google.Cloud.Storage.V1;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// One upload through the client's resumable protocol: a session, then chunks of <see cref="GcsStoreOptions.ChunkSize"/>
/// (one request for a body of known length up to a chunk); GCS publishes the object only when the last chunk lands,
/// so a failed or cancelled upload leaves no object (its session expires unused). A body held in memory is uploaded
/// again in a new session after a throttling or 5xx answer the client gave up on.
/// </summary>
internal static class GcsUpload
{
    private const string ContentType = "application/octet-stream";

    /// <summary>
    /// Uploads <paramref name="source"/> to <paramref name="key"/>; with <paramref name="ifAbsent"/> only if no
    /// object exists (<c>ifGenerationMatch=0</c>), returning false when GCS answers 412 because one does.
    /// </summary>
    public static async Task<bool> RunAsync(StorageClient client, GcsStoreOptions options, string key, Stream source, bool ifAbsent, string target, CancellationToken ct)
    {
        var start = source.CanSeek ? source.Position : 0;
        for (var attempt = 1; ; attempt++)
        {
            var failure = await UploadOnceAsync(client, options, key, source, ifAbsent, ct);
            if (failure is null)
                return true;
            if (ifAbsent && failure is GoogleApiException { HttpStatusCode: HttpStatusCode.PreconditionFailed })
                return false;
            // The source's own failures and the caller's cancellation propagate as they are.
            if (!GcsErrors.IsServiceFailure(failure, ct))
                ExceptionDispatchInfo.Throw(failure);
            // Only an answer is retried (GCS said no, so nothing was published; a retried put-if-absent that finds
            // its own object after all reports a lost race, which re-plans), and only a body that can be sent again.
            var transient = failure is GoogleApiException { HttpStatusCode: var status } && GcsRetry.IsTransient(status);
            if (attempt == options.MaxAttempts || !source.CanSeek || !transient)
                throw GcsErrors.From(failure, ifAbsent ? "conditional upload" : "upload", target);
            source.Position = start;
            await GcsRetry.DelayAsync(options, attempt, ct);
        }
    }

    private static async Task<Exception?> UploadOnceAsync(StorageClient client, GcsStoreOptions options, string key, Stream source, bool ifAbsent, CancellationToken ct)
    {
        var upload = client.CreateObjectUploader(options.Bucket, key, ContentType, source, new UploadObjectOptions
        {
            ChunkSize = options.ChunkSize,
            IfGenerationMatch = ifAbsent ? 0 : null,
        });
        try
        {
            return (await upload.UploadAsync(ct)).Exception;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
