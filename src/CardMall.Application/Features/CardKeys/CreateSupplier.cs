using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.CardKeys;

/// <summary>An operator registers a supplier and the secret its webhooks are signed with.</summary>
public sealed record CreateSupplier(string Code, string Name, string WebhookSecret) : ICommand<CreatedSupplier>;

public sealed class CreateSupplierValidator : AbstractValidator<CreateSupplier>
{
    public CreateSupplierValidator()
    {
        RuleFor(x => x.Code).Matches("^[A-Za-z0-9][A-Za-z0-9-]{1,63}$").WithMessage(_ => AppText.Get("CardKeys.SupplierCodeInvalid"));
        RuleFor(x => x.Name).NotEmpty().WithMessage(_ => AppText.Get("CardKeys.SupplierNameRequired"))
            .MaximumLength(200).WithMessage(_ => AppText.Get("CardKeys.SupplierNameRequired"));
        RuleFor(x => x.WebhookSecret).Length(16, 200).WithMessage(_ => AppText.Get("CardKeys.WebhookSecretInvalid"));
    }
}

internal sealed class CreateSupplierHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, TimeProvider clock)
    : IRequestHandler<CreateSupplier, CreatedSupplier>
{
    public async Task<CreatedSupplier> Handle(CreateSupplier request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        if (await db.Suppliers.AnyAsync(s => s.Code == request.Code, cancellationToken))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.Code), AppText.Get("CardKeys.SupplierCodeTaken"))]);
        var supplier = new Supplier(request.Code, request.Name.Trim(), vault.SealSecret(request.WebhookSecret), clock.GetUtcNow());
        db.Suppliers.Add(supplier);
        return new CreatedSupplier(supplier.Id, supplier.Code);
    }
}

public sealed record CreatedSupplier(Guid SupplierId, string Code);
