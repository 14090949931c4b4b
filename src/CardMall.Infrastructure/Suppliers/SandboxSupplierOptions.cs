namespace CardMall.Infrastructure.Suppliers;

/// <summary>
/// The built-in sandbox supplier (configuration section CardMall:SandboxSupplier):
///   Enabled   its HTTP interface (/sandbox-supplier/api/…), its admin page and the answer API;
///             default on in Development and Testing only
///   BaseUrl   where the gateway finds it when a sandbox supplier has no API base URL of its own;
///             default: this app's own listening address
/// </summary>
public sealed class SandboxSupplierOptions
{
    public const string Section = "CardMall:SandboxSupplier";

    public bool? Enabled { get; set; }

    public string? BaseUrl { get; set; }

    public bool IsEnabled => Enabled == true;
}
