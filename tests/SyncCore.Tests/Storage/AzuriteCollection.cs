using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>The Azure tests share one Azurite; each test gets its own container.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteServer>
{
    public const string Name = "azurite";
}
