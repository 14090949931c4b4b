using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Accounts;

/// <summary>A user creates an API key for the JSON API; the key is shown once and stored hashed.</summary>
public sealed record CreateApiKey(string Name) : ICommand<CreatedApiKey>;

public sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKey>
{
    public CreateApiKeyValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage(_ => AppText.Get("ApiKey.NameRequired"))
            .MaximumLength(60).WithMessage(_ => AppText.Get("ApiKey.NameTooLong"));
    }
}

internal sealed class CreateApiKeyHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<CreateApiKey, CreatedApiKey>
{
    public Task<CreatedApiKey> Handle(CreateApiKey request, CancellationToken cancellationToken)
    {
        var (key, plain) = ApiKey.Issue(currentUser.RequireUserId(), request.Name.Trim(), clock.GetUtcNow());
        db.ApiKeys.Add(key);
        return Task.FromResult(new CreatedApiKey(key.Id, key.Name, plain));
    }
}

public sealed record CreatedApiKey(Guid ApiKeyId, string Name, string PlainKey);
