namespace CardMall.Domain.Accounts;

/// <summary>The six roles of the product, spelled as the API contract spells them.</summary>
public static class ShopRoles
{
    public const string Buyer = "Buyer";
    public const string Reseller = "Reseller";
    public const string Agent = "Agent";
    public const string Supervisor = "Supervisor";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Buyer, Reseller, Agent, Supervisor, Operator, Admin];

    /// <summary>Roles that may enter the staff area (/Admin).</summary>
    public static readonly IReadOnlyList<string> Staff = [Agent, Supervisor, Operator, Admin];

    /// <summary>Roles that work tickets in the agent workspace (operators run the shop, not the help desk).</summary>
    public static readonly string[] TicketWork = [Agent, Supervisor, Admin];

    /// <summary><see cref="TicketWork"/> as an [Authorize(Roles = …)] list.</summary>
    public const string TicketWorkList = Agent + "," + Supervisor + "," + Admin;

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>Roles that move money or run the shop: only an Admin grants them (an Operator may not make an Admin).</summary>
    public static readonly IReadOnlyList<string> GrantedByAdminOnly = [Supervisor, Operator, Admin];

    public static bool MayGrant(string role, bool granterIsAdmin) =>
        granterIsAdmin || !GrantedByAdminOnly.Contains(role, StringComparer.Ordinal);
}

/// <summary>Member tier (会员等级): decides which price a buyer pays.</summary>
public enum MemberTier
{
    Regular = 0,
    Vip = 1,
    Reseller = 2,
}

public static class MemberTiers
{
    public static string ToApi(this MemberTier tier) => tier switch
    {
        MemberTier.Vip => "vip",
        MemberTier.Reseller => "reseller",
        _ => "regular",
    };

    public static bool TryParse(string? value, out MemberTier tier)
    {
        switch (value)
        {
            case "regular": tier = MemberTier.Regular; return true;
            case "vip": tier = MemberTier.Vip; return true;
            case "reseller": tier = MemberTier.Reseller; return true;
            default: tier = MemberTier.Regular; return false;
        }
    }
}
