using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages;

/// <summary>Friendly page for 404 and other error statuses (re-executed by status-code pages).</summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    /// <summary>On a 429: the seconds the rate limiter asked the visitor to wait (its Retry-After).</summary>
    public int? RetryAfterSeconds => Hosting.ShopRateLimits.RetryAfterSeconds(Response);

    public void OnGet(int code) => Show(code);

    public void OnPost(int code) => Show(code);

    private void Show(int code)
    {
        // Visited directly (/Status/404) it is still a 404, not a 200 that looks like one.
        Code = code is >= 400 and <= 599 ? code : 404;
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is null)
        {
            Response.StatusCode = Code;
            HttpContext.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        }
    }
}
