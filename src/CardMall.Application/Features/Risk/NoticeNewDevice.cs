using System.Security.Cryptography;
using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Domain.Notifications;
using CardMall.Domain.Risk;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// After a successful sign-in (or registration): the browser's device token — a long-lived random cookie —
/// is known for this user, or it is new. Only its SHA-256 is stored. A new device for a user who already has
/// a known one gets them a notice with the browser and IP, in the app and by e-mail (账户安全); the very first
/// device does not. <see cref="UserId"/> is given, not read from the request: the sign-in cookie only reaches
/// the next request, so the page that has just signed the user in passes who it was.
/// </summary>
public sealed record NoticeNewDevice(Guid UserId, string? DeviceToken) : ICommand<DeviceNoticed>
{
    public override string ToString() => $"NoticeNewDevice({UserId}, ****)";
}

internal sealed class NoticeNewDeviceHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<NoticeNewDevice, DeviceNoticed>
{
    /// <summary>Where the notice points: the account page, where the password is changed.</summary>
    public const string Link = "/Account/Manage";

    public async Task<DeviceNoticed> Handle(NoticeNewDevice request, CancellationToken ct)
    {
        var token = DeviceTokens.IsWellFormed(request.DeviceToken) ? request.DeviceToken! : DeviceTokens.New();
        var hash = DeviceTokens.Hash(token);
        var now = clock.GetUtcNow();
        var ip = currentUser.IpAddress is { Length: > 64 } longIp ? longIp[..64] : currentUser.IpAddress;

        var known = await db.UserDevices.FirstOrDefaultAsync(d => d.UserId == request.UserId && d.DeviceHash == hash, ct);
        if (known is not null)
        {
            known.Seen(ip, now);
            return new DeviceNoticed(token, IsNew: false, Notified: false);
        }

        var hadDevices = await db.UserDevices.AnyAsync(d => d.UserId == request.UserId, ct);
        var device = new UserDevice(request.UserId, hash, ip, currentUser.UserAgent, now);
        // Two sign-ins of one browser at once: the second finds the row there, and nobody sees a 500.
        var added = await db.Locks.AddOnceAsync(device, ct);
        var notify = added && hadDevices;
        if (notify) db.Send(request.UserId, NotificationKind.NewDeviceSignIn, Link, now, email: true, DeviceTokens.Describe(currentUser.UserAgent), ip ?? "—");
        return new DeviceNoticed(token, IsNew: added, Notified: notify);
    }
}

/// <summary>The token to (re)write into the device cookie; whether the device was new, and whether the user was told.</summary>
public sealed record DeviceNoticed(string DeviceToken, bool IsNew, bool Notified)
{
    public override string ToString() => $"DeviceNoticed(****, {IsNew}, {Notified})";
}

/// <summary>The device cookie's value: 32 random bytes (base64url); stored and compared only as its SHA-256.</summary>
public static class DeviceTokens
{
    private const int Length = 43;

    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Lower-case hex SHA-256: what user_devices and activation events hold.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>"Chrome · Windows" from a user agent, so a notice names the device in words a person knows.</summary>
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "—";
        var ua = userAgent;
        string? browser =
            Has("Edg/") ? "Edge" : Has("OPR/") ? "Opera" : Has("MicroMessenger") ? "WeChat" : Has("Firefox/") ? "Firefox"
            : Has("Chrome/") || Has("CriOS/") ? "Chrome" : Has("Safari/") ? "Safari" : null;
        string? system =
            Has("Windows") ? "Windows" : Has("Android") ? "Android" : Has("iPhone") ? "iPhone" : Has("iPad") ? "iPad"
            : Has("Mac OS X") || Has("Macintosh") ? "macOS" : Has("Linux") ? "Linux" : null;
        if (browser is null && system is null) return ua.Length > 60 ? ua[..60] + "…" : ua;
        return $"{browser ?? "?"} · {system ?? "?"}";

        bool Has(string part) => ua.Contains(part, StringComparison.OrdinalIgnoreCase);
    }
}
