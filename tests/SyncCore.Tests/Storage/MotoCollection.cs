using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>The S3 tests share one moto_server; each test gets its own bucket.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
