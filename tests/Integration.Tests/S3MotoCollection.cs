using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>The S3 integration tests share one moto_server; each test gets its own bucket.</summary>
[CollectionDefinition(Name)]
public sealed class S3MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
