using CardMall.Application.Abstractions;
using CardMall.Application.Features.Verification;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Required = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace CardMall.Web.Api;

/// <summary><c>PUT /api/v1/admin/sandbox-supplier/keys</c>: what the built-in sandbox supplier answers for a key (operators).</summary>
public static class AdminSandboxSupplierApi
{
    public sealed record SandboxAnswerBody([property: Required] string? Code, [property: Required] string? Answer, DateTimeOffset? RedeemedAt)
    {
        public override string ToString() => $"SandboxAnswerBody(****, {Answer})";
    }

    /// <summary>What the sandbox supplier now answers for the key; the code comes back masked.</summary>
    public sealed record SandboxAnswer(string Answer, DateTimeOffset? RedeemedAt, DateTimeOffset UpdatedAt, string Code)
    {
        public override string ToString() => $"SandboxAnswer({Answer}, ****)";
    }

    public static void MapAdminSandboxSupplierApi(this RouteGroupBuilder admin)
    {
        admin.MapPut("/sandbox-supplier/keys", async Task<Ok<SandboxAnswer>> (SandboxAnswerBody body, ISandboxSupplier sandbox, IMediator mediator, CancellationToken ct) =>
        {
            // Switched off, the sandbox supplier does not exist: 404 before the body is even looked at.
            if (!sandbox.IsEnabled) throw new NotFoundException("The sandbox supplier is not enabled.");
            var set = await mediator.Send(new SetSandboxSupplierAnswer(body.Code ?? "", body.Answer ?? "", body.RedeemedAt), ct);
            return TypedResults.Ok(new SandboxAnswer(set.Answer, set.RedeemedAt, set.UpdatedAt, set.MaskedCode));
        })
        .WithName("SetSandboxSupplierAnswer").WithSummary("Choose what the built-in sandbox supplier answers for a key").WithTags(ApiDocument.Tag.AdminOperations)
        .WithDescription("`answer` is one of `unused`, `redeemed`, `invalid`, `slow`, `error`. Only while the sandbox supplier is enabled (404 otherwise).")
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound);
    }
}
