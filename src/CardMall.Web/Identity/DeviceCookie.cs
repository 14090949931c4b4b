using CardMall.Application.Features.Risk;
using MediatR;

namespace CardMall.Web.Identity;

/// <summary>
/// The browser's long-lived device cookie: a random token (HttpOnly, Secure over HTTPS, SameSite=Lax) that
/// tells a known device from a new one at sign-in and names the device of a platform redemption. The server
/// keeps only its SHA-256.
/// </summary>
public static class DeviceCookie
{
    public const string Name = "cardmall.device";

    /// <summary>As long as browsers keep a cookie (Chrome caps it at 400 days); each sign-in renews it.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(400);

    /// <summary>After a successful sign-in or registration: records the device and tells the user about a new one.</summary>
    public static async Task NoticeSignInAsync(HttpContext http, IMediator mediator, Guid userId, CancellationToken ct)
    {
        var noticed = await mediator.Send(new NoticeNewDevice(userId, http.Request.Cookies[Name]), ct);
        Write(http, noticed.DeviceToken);
    }

    /// <summary>This browser's device id as activation events record it (the token's hash); a browser without a cookie gets one.</summary>
    public static string DeviceId(HttpContext http)
    {
        var token = http.Request.Cookies[Name];
        if (!DeviceTokens.IsWellFormed(token))
        {
            token = DeviceTokens.New();
            Write(http, token);
        }
        return DeviceTokens.Hash(token!);
    }

    private static void Write(HttpContext http, string token) =>
        http.Response.Cookies.Append(Name, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            Path = "/",
            MaxAge = Lifetime,
        });
}
