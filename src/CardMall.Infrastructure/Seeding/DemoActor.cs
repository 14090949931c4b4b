using CardMall.Application.Abstractions;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// Who the demo's next command is sent as: a demo buyer, agent or supervisor, with that account's role, or
/// nobody (the shop's own passes, such as the SLA watcher). Only the seeder's container resolves it; the web app
/// keeps reading the signed-in user from the request.
/// </summary>
internal sealed class DemoActor : ICurrentUser
{
    private string? _role;

    public Guid? UserId { get; private set; }

    public string? IpAddress => null;

    public string? UserAgent => "CardMall demo seed";

    public bool IsInRole(string role) => _role == role;

    public void ActAs(Guid? userId, string? role)
    {
        UserId = userId;
        _role = role;
    }
}
