using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using MediatR;

namespace CardMall.Application.Features.Verification;

/// <summary>The answers the sandbox supplier has been told to give, newest first (by fingerprint: codes are not kept).</summary>
public sealed record ListSandboxSupplierAnswers(int Take = 50) : IRequest<IReadOnlyList<SandboxAnswerRow>>;

internal sealed class ListSandboxSupplierAnswersHandler(ISandboxSupplier sandbox, ICurrentUser currentUser)
    : IRequestHandler<ListSandboxSupplierAnswers, IReadOnlyList<SandboxAnswerRow>>
{
    public Task<IReadOnlyList<SandboxAnswerRow>> Handle(ListSandboxSupplierAnswers request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        if (!sandbox.IsEnabled) throw new NotFoundException(AppText.Get("Verification.SandboxDisabled"));
        return sandbox.ListAnswersAsync(Math.Clamp(request.Take, 1, 200), cancellationToken);
    }
}
