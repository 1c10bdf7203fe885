using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests.Cluster;

/// <summary>The cluster tests share one PostgreSQL server; each test gets its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
