using System.Security.Cryptography;
using CardMall.Application.Abstractions;
using Microsoft.AspNetCore.DataProtection;

namespace CardMall.Infrastructure.DataProtection;

/// <summary>
/// Guest links sealed with the shop's Data Protection keys (kept in PostgreSQL, so any web node reads any node's
/// link). The token carries the guest account, its expiry (the shop's clock, so tests can move past it) and the
/// local page to open.
/// </summary>
internal sealed class GuestLinks(IDataProtectionProvider provider, TimeProvider clock) : IGuestLinks
{
    private readonly IDataProtector _protector = provider.CreateProtector("CardMall.GuestLinks.v1");

    public string Link(Guid guestId, string path, TimeSpan validFor)
    {
        var expires = (clock.GetUtcNow() + validFor).ToUnixTimeSeconds();
        var token = _protector.Protect(FormattableString.Invariant($"{guestId:N}|{expires}|{path}"));
        return "/Lookup/Open?token=" + Uri.EscapeDataString(token);
    }

    public GuestLinkTarget? Read(string token)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
        var parts = payload.Split('|', 3);
        if (parts.Length != 3 || !Guid.TryParseExact(parts[0], "N", out var guestId)
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expires)
            || DateTimeOffset.FromUnixTimeSeconds(expires) <= clock.GetUtcNow())
            return null;
        // Only a page of this shop: a path that starts with one slash (never "//host" or a scheme).
        var path = parts[2];
        return path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal)
            ? new GuestLinkTarget(guestId, path)
            : null;
    }
}
