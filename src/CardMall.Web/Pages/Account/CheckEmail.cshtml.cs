using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Account;

/// <summary>Where every registration ends, new address or not: "we sent you a link".</summary>
public sealed class CheckEmailModel : PageModel
{
    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;
}
