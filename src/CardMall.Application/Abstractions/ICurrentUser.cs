namespace CardMall.Application.Abstractions;

/// <summary>Who is asking: the signed-in buyer or staff member, or the API key's owner.</summary>
public interface ICurrentUser
{
    Guid? UserId { get; }
    bool IsInRole(string role);
    string? IpAddress { get; }
    string? UserAgent { get; }

    /// <summary>The signed-in user's id; a handler that needs one throws when nobody is signed in.</summary>
    Guid RequireUserId() => UserId ?? throw new UnauthorizedAccessException("Sign-in required.");
}
