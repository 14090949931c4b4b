namespace CardMall.Web.Localization;

/// <summary>
/// Anchor for the UI's resource files: SharedResource.resx (Simplified Chinese, the default) and
/// SharedResource.en.resx (English). Views use it as <c>T["Key"]</c>.
/// </summary>
public sealed class SharedResource;
