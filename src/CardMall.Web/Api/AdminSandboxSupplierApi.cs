using CardMall.Application.Abstractions;
using CardMall.Application.Features.Verification;
using CardMall.Domain.Common;
using MediatR;

namespace CardMall.Web.Api;

/// <summary><c>PUT /api/v1/admin/sandbox-supplier/keys</c>: what the built-in sandbox supplier answers for a key (operators).</summary>
public static class AdminSandboxSupplierApi
{
    public sealed record SandboxAnswerBody(string? Code, string? Answer, DateTimeOffset? RedeemedAt)
    {
        public override string ToString() => $"SandboxAnswerBody(****, {Answer})";
    }

    public static void MapAdminSandboxSupplierApi(this RouteGroupBuilder admin)
    {
        admin.MapPut("/sandbox-supplier/keys", async (SandboxAnswerBody body, ISandboxSupplier sandbox, IMediator mediator, CancellationToken ct) =>
        {
            // Switched off, the sandbox supplier does not exist: 404 before the body is even looked at.
            if (!sandbox.IsEnabled) throw new NotFoundException("The sandbox supplier is not enabled.");
            var set = await mediator.Send(new SetSandboxSupplierAnswer(body.Code ?? "", body.Answer ?? "", body.RedeemedAt), ct);
            return Results.Ok(new { set.Answer, set.RedeemedAt, set.UpdatedAt, Code = set.MaskedCode });
        });
    }
}
