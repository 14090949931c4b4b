namespace CardMall.Infrastructure.DataProtection;

/// <summary>One ASP.NET Core Data Protection key, as the XML the framework hands us.</summary>
internal sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string FriendlyName { get; set; } = "";
    public string Xml { get; set; } = "";
}
