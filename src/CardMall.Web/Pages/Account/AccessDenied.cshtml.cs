using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Account;

/// <summary>Where a signed-in user lands when their role does not open a page: a real 403.</summary>
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        // This page is the 403 body: status-code pages must not swap it for the generic one.
        HttpContext.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
    }
}
