using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests;

/// <summary>
/// The MediatR pipeline: validation stops a command before it touches anything, and a command's
/// writes are committed together or not at all.
/// </summary>
public sealed class PipelineTests(PipelineTests.ShopWithProbes shop) : IClassFixture<PipelineTests.ShopWithProbes>
{
    [Fact]
    public async Task A_command_that_fails_halfway_leaves_nothing_behind()
    {
        var buyer = await TestAccounts.CreateAsync(shop.Factory);
        using var scope = shop.Factory.Services.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => mediator.Send(new AddKeyThenFail(buyer.UserId, "half-done")));

        Assert.False(await CountKeysAsync(buyer.UserId, "half-done"));
    }

    [Fact]
    public async Task A_command_that_succeeds_is_saved_without_the_handler_saving()
    {
        var buyer = await TestAccounts.CreateAsync(shop.Factory);
        using var scope = shop.Factory.Services.CreateScope();

        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new AddKey(buyer.UserId, "kept"));

        Assert.True(await CountKeysAsync(buyer.UserId, "kept"));
    }

    [Fact]
    public async Task An_invalid_command_never_reaches_its_handler_and_its_failure_is_logged_without_the_body()
    {
        using var scope = shop.Factory.Services.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var error = await Assert.ThrowsAsync<ValidationException>(() => mediator.Send(new AddKey(Guid.Empty, "")));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(AddKey.UserId));
        Assert.Contains(error.Errors, e => e.PropertyName == nameof(AddKey.Name));
        Assert.Contains(shop.Factory.Logs.Lines, l => l.Contains("AddKey UserId=00000000-0000-0000-0000-000000000000", StringComparison.Ordinal)
            && l.Contains("failed with ValidationException", StringComparison.Ordinal));
    }

    private async Task<bool> CountKeysAsync(Guid userId, string name)
    {
        using var scope = shop.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await db.ApiKeys.AnyAsync(k => k.UserId == userId && k.Name == name);
    }

    public sealed record AddKey(Guid UserId, string Name) : ICommand<Unit>;

    public sealed record AddKeyThenFail(Guid UserId, string Name) : ICommand<Unit>;

    public sealed class AddKeyValidator : AbstractValidator<AddKey>
    {
        public AddKeyValidator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.Name).NotEmpty();
        }
    }

    public sealed class AddKeyHandler(ICardMallDb db) : IRequestHandler<AddKey, Unit>
    {
        public Task<Unit> Handle(AddKey request, CancellationToken cancellationToken)
        {
            db.ApiKeys.Add(ApiKey.Issue(request.UserId, request.Name, DateTimeOffset.UtcNow).Key);
            return Task.FromResult(Unit.Value);
        }
    }

    public sealed class AddKeyThenFailHandler(ICardMallDb db) : IRequestHandler<AddKeyThenFail, Unit>
    {
        public async Task<Unit> Handle(AddKeyThenFail request, CancellationToken cancellationToken)
        {
            db.ApiKeys.Add(ApiKey.Issue(request.UserId, request.Name, DateTimeOffset.UtcNow).Key);
            await db.SaveChangesAsync(cancellationToken); // written inside the transaction…
            throw new InvalidOperationException("…and then the use case fails");
        }
    }

    /// <summary>The shop plus two probe commands that exist only in this test.</summary>
    public sealed class ShopWithProbes : ShopFixture
    {
        protected override ShopFactory CreateFactory(string connectionString) => new(connectionString)
        {
            Configure = services =>
            {
                services.AddScoped<IRequestHandler<AddKey, Unit>, AddKeyHandler>();
                services.AddScoped<IRequestHandler<AddKeyThenFail, Unit>, AddKeyThenFailHandler>();
                services.AddScoped<IValidator<AddKey>, AddKeyValidator>();
            },
        };
    }
}
