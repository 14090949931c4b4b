using CardMall.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace CardMall.Application.Accounts;

/// <summary>
/// A person with an account: buyer, reseller or staff. It derives from Identity's user so the EF
/// stores can keep it; that is why it lives here and not in the Domain (see
/// docs/decisions/0005-shop-user-in-application.md).
/// </summary>
public sealed class ShopUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public MemberTier Tier { get; set; } = MemberTier.Regular;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>IANA time zone used to show promised times; buyers are mostly in China.</summary>
    public string TimeZoneId { get; set; } = "Asia/Shanghai";
    /// <summary>zh-CN or en-US: the language of e-mails and notifications.</summary>
    public string PreferredCulture { get; set; } = "zh-CN";
    /// <summary>Set by an Admin: the account can neither sign in nor use its API keys until enabled again.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary>The birthday's month and day, both or neither (no year: see <see cref="Domain.Outreach.Birthday"/>).</summary>
    public int? BirthMonth { get; set; }
    public int? BirthDay { get; set; }
    /// <summary>
    /// The account a guest checkout opens for one order (docs/decisions/0039): no password, no normalised e-mail,
    /// so no sign-in form and no registration ever finds it; the browser is signed in as it by the checkout, the
    /// lookup page or a signed link.
    /// </summary>
    public bool IsGuest { get; set; }
}
