using System.Text.Json;

namespace CardMall.Infrastructure.Suppliers;

/// <summary>
/// The sandbox supplier's wire contract, shared by its server (CardMall.Web/Sandbox) and the gateway that
/// calls it, so the two cannot drift apart. The key travels in the JSON body only, never in the URL.
/// </summary>
public static class SandboxSupplierProtocol
{
    public const string Name = "sandbox";
    public const string QueryPath = "/sandbox-supplier/api/keys/query";
    public const string CasesPath = "/sandbox-supplier/api/cases";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary><c>{code}</c>: what became of this key?</summary>
public sealed record SandboxKeyQuery(string? Code)
{
    public override string ToString() => "SandboxKeyQuery(****)";
}

/// <summary><c>{status: unused|redeemed|invalid|unknown, redeemedAt}</c>.</summary>
public sealed record SandboxKeyStatus(string? Status, DateTimeOffset? RedeemedAt);

/// <summary><c>{code, question}</c>: a case about a key.</summary>
public sealed record SandboxCaseReport(string? Code, string? Question)
{
    public override string ToString() => "SandboxCaseReport(****)";
}

/// <summary><c>{reference}</c>: the supplier's number for the case.</summary>
public sealed record SandboxCaseAccepted(string? Reference);
