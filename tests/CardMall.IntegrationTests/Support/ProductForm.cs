namespace CardMall.IntegrationTests.Support;

/// <summary>The fields an operator fills in on the product form (<c>/Admin/Products/Edit/{sku}</c>).</summary>
public static class ProductForm
{
    public static Dictionary<string, string> Fields(string sku, string regions, string price, string active) => new()
    {
        ["Input.Sku"] = sku,
        ["Input.Category"] = "game-cards",
        ["Input.Name"] = "改过的名字",
        ["Input.NameEn"] = "Renamed",
        ["Input.FaceValue"] = "10",
        ["Input.Price"] = price,
        ["Input.MinPerOrder"] = "1",
        ["Input.MaxPerOrder"] = "10",
        ["Input.ValidityDays"] = "365",
        ["Input.DeviceLimit"] = "1",
        ["Input.Regions"] = regions,
        ["Input.IsActive"] = active,
    };
}
