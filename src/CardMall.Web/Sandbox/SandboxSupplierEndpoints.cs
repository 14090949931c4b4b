using System.Security.Cryptography;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Verification;
using CardMall.Infrastructure.Persistence;
using CardMall.Infrastructure.Suppliers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Sandbox;

/// <summary>
/// The built-in sandbox supplier's interface (<see cref="SandboxSupplierProtocol"/>), served by this app so
/// that the supplier gateway's whole path — HTTP, timeouts, retries, circuit breaker — is real:
/// <list type="bullet">
/// <item><c>POST /sandbox-supplier/api/keys/query</c> <c>{code}</c> → <c>{status, redeemedAt}</c>, from the answer
/// an operator set for the key's fingerprint (<c>sandbox_supplier_keys</c>); no answer set → unused. "slow"
/// answers unused only after the supplier timeout has passed; "error" answers 500.</item>
/// <item><c>POST /sandbox-supplier/api/cases</c> <c>{code, question}</c> → 202 <c>{reference}</c>.</item>
/// </list>
/// It stands in for a system outside the shop: no API key (a real supplier would check ours), no
/// antiforgery, and it reads its own table directly. While CardMall:SandboxSupplier:Enabled is off it is 404.
/// </summary>
public static class SandboxSupplierEndpoints
{
    /// <summary>How much longer than the supplier timeout a "slow" key keeps the caller waiting.</summary>
    private static readonly TimeSpan SlowBy = TimeSpan.FromSeconds(2);

    /// <summary>Nobody is listening any more (nginx's 499): logged as what it is, not as a server error.</summary>
    private const int ClientClosedRequest = 499;

    public static IEndpointRouteBuilder MapSandboxSupplier(this IEndpointRouteBuilder app)
    {
        var sandbox = app.MapGroup("")
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription()
            // A query is a few dozen bytes.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 * 1024));
        sandbox.MapPost(SandboxSupplierProtocol.QueryPath, QueryAsync);
        sandbox.MapPost(SandboxSupplierProtocol.CasesPath, ReportCaseAsync);
        return app;
    }

    private static async Task<IResult> QueryAsync(
        HttpRequest request, CardMallDbContext db, ICardKeyVault vault, IOptions<SandboxSupplierOptions> sandbox,
        IOptions<VerificationOptions> verification, CancellationToken ct)
    {
        if (!sandbox.Value.IsEnabled) return Results.NotFound();
        var query = await ReadAsync<SandboxKeyQuery>(request, ct);
        var code = ICardKeyVault.Normalize(query?.Code ?? "");
        if (code.Length == 0) return Results.Json(new { error = "code_required" }, statusCode: StatusCodes.Status400BadRequest);

        var fingerprint = vault.Fingerprint(code);
        var key = await db.SandboxSupplierKeys.AsNoTracking().FirstOrDefaultAsync(k => k.CodeHash == fingerprint, ct);
        switch (key?.Answer)
        {
            case SandboxAnswers.Slow:
                // Past the caller's timeout; the wait ends as soon as the caller gives up.
                try
                {
                    await Task.Delay(verification.Value.SupplierTimeout + SlowBy, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return Results.StatusCode(ClientClosedRequest);
                }
                return Answer(SandboxAnswers.Unused, null);
            case SandboxAnswers.Error:
                return Results.Json(new { error = "internal_error" }, statusCode: StatusCodes.Status500InternalServerError);
            case SandboxAnswers.Redeemed:
                return Answer(SandboxAnswers.Redeemed, key.RedeemedAt);
            case SandboxAnswers.Invalid:
                return Answer(SandboxAnswers.Invalid, null);
            default:
                return Answer(SandboxAnswers.Unused, null);
        }
    }

    private static async Task<IResult> ReportCaseAsync(HttpRequest request, IOptions<SandboxSupplierOptions> sandbox, TimeProvider clock, CancellationToken ct)
    {
        if (!sandbox.Value.IsEnabled) return Results.NotFound();
        var report = await ReadAsync<SandboxCaseReport>(request, ct);
        if (string.IsNullOrWhiteSpace(report?.Code)) return Results.Json(new { error = "code_required" }, statusCode: StatusCodes.Status400BadRequest);
        var reference = "SC" + clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
            + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(new SandboxCaseAccepted(reference), SandboxSupplierProtocol.Json, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The JSON body, or null when it is not JSON of that shape (answered 400 by the caller).</summary>
    private static async Task<T?> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<T>(request.Body, SandboxSupplierProtocol.Json, ct);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static IResult Answer(string status, DateTimeOffset? redeemedAt) =>
        Results.Json(new SandboxKeyStatus(status, redeemedAt), SandboxSupplierProtocol.Json);
}
