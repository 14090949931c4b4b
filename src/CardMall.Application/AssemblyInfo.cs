using System.Resources;

// Simplified Chinese is the shop's default language: the neutral resources are Chinese.
[assembly: NeutralResourcesLanguage("zh-CN")]
