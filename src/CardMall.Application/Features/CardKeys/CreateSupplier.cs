using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.CardKeys;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.CardKeys;

/// <summary>
/// An operator registers a supplier, the secret its webhooks are signed with, and how its interface is
/// called: <see cref="SupplierProtocols.Sandbox"/> (the default; an empty API base URL means this app's own
/// sandbox supplier) or <see cref="SupplierProtocols.None"/> (no interface: verifications cannot ask it).
/// </summary>
public sealed record CreateSupplier(string Code, string Name, string WebhookSecret, string Protocol = SupplierProtocols.Sandbox, string? ApiBaseUrl = null)
    : IAuditedCommand<CreatedSupplier>
{
    public AuditNote Audit(CreatedSupplier result) => new(AuditActions.SupplierCreated, Code, $"{Name}, protocol {Protocol}");
    public override string ToString() => $"CreateSupplier({Code}, ****)";
}

/// <summary>The ways the shop can call a supplier's interface (<see cref="Supplier.Protocol"/>).</summary>
public static class SupplierProtocols
{
    public const string Sandbox = "sandbox";
    public const string None = "none";

    public static readonly IReadOnlyList<string> All = [Sandbox, None];
}

public sealed class CreateSupplierValidator : AbstractValidator<CreateSupplier>
{
    public CreateSupplierValidator()
    {
        RuleFor(x => x.Code).Matches("^[A-Za-z0-9][A-Za-z0-9-]{1,63}$").WithMessage(_ => AppText.Get("CardKeys.SupplierCodeInvalid"));
        RuleFor(x => x.Name).NotEmpty().WithMessage(_ => AppText.Get("CardKeys.SupplierNameRequired"))
            .MaximumLength(200).WithMessage(_ => AppText.Get("CardKeys.SupplierNameRequired"));
        RuleFor(x => x.WebhookSecret).Length(16, 200).WithMessage(_ => AppText.Get("CardKeys.WebhookSecretInvalid"));
        RuleFor(x => x.Protocol).Must(p => SupplierProtocols.All.Contains(p)).WithMessage(_ => AppText.Get("CardKeys.SupplierProtocolInvalid"));
        RuleFor(x => x.ApiBaseUrl).Must(BeAnHttpAddress).WithMessage(_ => AppText.Get("CardKeys.SupplierApiBaseUrlInvalid"));
    }

    /// <summary>Empty, or an absolute http(s) address without credentials, query or fragment (paths are appended to it).</summary>
    private static bool BeAnHttpAddress(string? value) =>
        string.IsNullOrWhiteSpace(value)
        || (value.Trim().Length <= 300
            && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0);
}

internal sealed class CreateSupplierHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, TimeProvider clock)
    : IRequestHandler<CreateSupplier, CreatedSupplier>
{
    public async Task<CreatedSupplier> Handle(CreateSupplier request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        if (await db.Suppliers.AnyAsync(s => s.Code == request.Code, cancellationToken))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.Code), AppText.Get("CardKeys.SupplierCodeTaken"))]);
        var supplier = new Supplier(request.Code, request.Name.Trim(), vault.SealSecret(request.WebhookSecret), clock.GetUtcNow())
        {
            Protocol = request.Protocol,
            ApiBaseUrl = string.IsNullOrWhiteSpace(request.ApiBaseUrl) ? null : request.ApiBaseUrl.Trim().TrimEnd('/'),
        };
        db.Suppliers.Add(supplier);
        return new CreatedSupplier(supplier.Id, supplier.Code);
    }
}

public sealed record CreatedSupplier(Guid SupplierId, string Code);
