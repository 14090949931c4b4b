namespace CardMall.Application.Abstractions;

/// <summary>
/// Signed, time-limited links that open a page of the shop as a guest checkout's account (docs/decisions/0039):
/// in the guest's e-mails (paid order, ticket replies) and behind each order the lookup page found. The token names
/// the guest account and the page; nobody can make one without the shop's Data Protection keys.
/// </summary>
public interface IGuestLinks
{
    /// <summary>A site-relative link ("/Lookup/Open?token=…") that signs its holder in as the guest and opens <paramref name="path"/>.</summary>
    string Link(Guid guestId, string path, TimeSpan validFor);

    /// <summary>The guest and page a token names; null when it was not made here, was altered, or has run out.</summary>
    GuestLinkTarget? Read(string token);
}

/// <summary>Where a signed link leads: a local path, opened as the guest account.</summary>
public sealed record GuestLinkTarget(Guid GuestId, string Path);
