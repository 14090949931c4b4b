using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

namespace CardMall.Web.Localization;

/// <summary>
/// First visit, no cookie yet: pick the shop language from the browser's Accept-Language. Any
/// English variant (en, en-GB, en-US) means English, any Chinese means Simplified Chinese; the first
/// of the two the browser lists, by its q-values, wins. Nothing recognised falls through to the
/// default (zh-CN).
/// </summary>
public sealed class BrowserLanguageCultureProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var header = httpContext.Request.Headers.AcceptLanguage.ToString();
        if (string.IsNullOrWhiteSpace(header) ||
            !StringWithQualityHeaderValue.TryParseList(header.Split(','), out var values))
            return NullProviderCultureResult;

        foreach (var value in values.OrderByDescending(v => v.Quality ?? 1))
        {
            var tag = value.Value.ToString().Trim();
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult("en-US"));
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
                return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult("zh-CN"));
        }
        return NullProviderCultureResult;
    }
}
