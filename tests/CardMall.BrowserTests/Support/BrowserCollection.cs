namespace CardMall.BrowserTests.Support;

/// <summary>
/// Every browser test class joins this collection, so one shop and one Chromium serve them all and
/// the tests run one after another: on a two-core machine, parallel browsers only slow each other down.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserShop>
{
    public const string Name = "Browser";
}
