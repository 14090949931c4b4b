namespace CardMall.Application.Abstractions;

/// <summary>
/// Each node remembers for a moment who is signed in: an API key's owner, roles and tier, and that a cookie's
/// account is enabled with an unchanged security stamp. A reseller's busy integration and a buyer browsing
/// the shop then do not cost a read of the account on every request. Whatever changes what an account may
/// do — revoking a key, disabling the account, changing its roles or tier — tells the node to forget the
/// account at once.
/// </summary>
public interface IRememberedSignIns
{
    void Forget(Guid userId);
}
