using CardMall.Application.Localization;
using CardMall.Domain.Common;

namespace CardMall.Application.Abstractions;

public static class RoleChecks
{
    /// <summary>
    /// Use cases check roles themselves, not only the endpoint or page in front of them, so the same
    /// rule holds whichever door a request comes through.
    /// </summary>
    public static Guid RequireAnyRole(this ICurrentUser user, params string[] roles)
    {
        var id = user.RequireUserId();
        if (!roles.Any(user.IsInRole))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Common.Forbidden"));
        return id;
    }
}
