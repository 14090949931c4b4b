using Xunit;

namespace CardMall.TestSupport;

/// <summary>One database and one running shop for a test class (xunit class fixture).</summary>
public class ShopFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public ShopFactory Factory { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Factory = CreateFactory(Database.ConnectionString);
        // Start the host now, so start-up failures show here and not in the first test.
        _ = Factory.Server;
    }

    protected virtual ShopFactory CreateFactory(string connectionString) => new(connectionString);

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
