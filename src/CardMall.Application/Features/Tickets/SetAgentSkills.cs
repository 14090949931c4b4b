using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A supervisor or admin sets which ticket categories an agent handles (their skills). New tickets of a
/// category go only to agents on duty with that skill; tickets already assigned stay.
/// </summary>
public sealed record SetAgentSkills(Guid AgentId, IReadOnlyList<TicketCategory> Skills) : IAuditedCommand<AgentDuty>
{
    public AuditNote Audit(AgentDuty result) => new(AuditActions.AgentSkillsSet, AgentId.ToString(), $"skills: {string.Join(", ", Skills)}");
}

public sealed class SetAgentSkillsValidator : AbstractValidator<SetAgentSkills>
{
    public SetAgentSkillsValidator()
    {
        RuleFor(x => x.Skills).NotNull()
            .Must(s => s.All(Enum.IsDefined)).WithMessage(_ => AppText.Get("Tickets.CategoryUnknown"));
    }
}

internal sealed class SetAgentSkillsHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<SetAgentSkills, AgentDuty>
{
    public async Task<AgentDuty> Handle(SetAgentSkills request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var now = clock.GetUtcNow();
        var profile = await db.LockOrCreateAgentProfileAsync(request.AgentId, now, cancellationToken);
        profile.Skills = request.Skills.Distinct().Order().ToList();
        profile.UpdatedAt = now;
        return AgentDuty.From(profile);
    }
}
