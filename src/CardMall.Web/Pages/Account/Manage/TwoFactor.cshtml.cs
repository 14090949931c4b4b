using System.Security.Claims;
using CardMall.Application.Accounts;
using CardMall.Web.Localization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using QRCoder;

namespace CardMall.Web.Pages.Account.Manage;

/// <summary>
/// Two-factor sign-in (TOTP, Identity's authenticator support): scan the QR code or type the key into an
/// authenticator app, prove it with a code, and receive ten recovery codes, shown once and each usable once.
/// Once on, new recovery codes can be made (the old ones stop working) or the whole thing reset (new key,
/// off until enrolled again). Staff are sent here until they enrol (StaffTwoFactor).
/// </summary>
public sealed class TwoFactorModel(UserManager<ShopUser> users, SignInManager<ShopUser> signIn, IStringLocalizer<SharedResource> text) : PageModel
{
    private const int RecoveryCodeCount = 10;

    [BindProperty]
    public string? Code { get; set; }

    public bool Enabled { get; private set; }

    /// <summary>Arrived because a staff page asked for a second factor.</summary>
    public bool Required { get; private set; }

    public string? ReturnUrl { get; private set; }

    /// <summary>The authenticator key in groups of four, for typing by hand.</summary>
    public string? ManualKey { get; private set; }

    public string? QrCodeDataUri { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>Only in the response that made them: never stored in the clear, never shown again.</summary>
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool required, string? returnUrl)
    {
        (Required, ReturnUrl) = (required, returnUrl);
        return await LoadAsync() is null ? Challenge() : Page();
    }

    public async Task<IActionResult> OnPostEnableAsync(string? returnUrl)
    {
        ReturnUrl = returnUrl;
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        var code = new string((Code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (code.Length != 6 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), text["TwoFactor.CodeWrong"]);
            await LoadAsync();
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        // This session has just shown a code: it counts as signed in with two factors from now on.
        await SignInAgainAsync(user, "mfa");
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        if (await users.GetTwoFactorEnabledAsync(user))
            NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        // The old codes went with the old key; this session no longer counts as two-factor.
        await SignInAgainAsync(user, "pwd");
        return RedirectToPage();
    }

    private async Task SignInAgainAsync(ShopUser user, string method)
    {
        var current = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await signIn.SignInWithClaimsAsync(user, current.Properties, [new Claim("amr", method)]);
    }

    private async Task<ShopUser?> LoadAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return null;
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return user;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            // A new key changes the account's security stamp, which every request checks: keep this session.
            await SignInAgainAsync(user, User.FindFirstValue("amr") ?? "pwd");
        }
        ManualKey = string.Join(' ', key!.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        var uri = $"otpauth://totp/{Uri.EscapeDataString("CardMall:" + user.Email)}?secret={key}&issuer=CardMall&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
        return user;
    }
}
