namespace CardMall.Application.Abstractions;

/// <summary>
/// Each node remembers a signed-in API key for a moment (its owner, roles and tier), so a reseller's busy
/// integration does not cost three reads per call. Whatever changes what a key may do — revoking it,
/// disabling its owner, changing roles or tier — tells the node to forget the owner's keys at once.
/// </summary>
public interface IApiKeySignIns
{
    void Forget(Guid userId);
}
