using Amazon.Runtime;
using ReplicaSync.Storage.S3;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>Store options pointing at the test moto_server.</summary>
internal static class S3TestStores
{
    public static S3StoreOptions Options(MotoServer moto, string bucket, string prefix = "") => new()
    {
        Bucket = bucket, Prefix = prefix, ServiceUrl = moto.Endpoint, ForcePathStyle = true,
        Credentials = new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey),
    };
}
