using CardMall.Application;
using CardMall.Application.Behaviors;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Infrastructure.Persistence;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.UnitTests;

public sealed class FoundationTests
{
    [Fact]
    public void The_pipeline_runs_logging_then_validation_then_the_transaction_with_the_audit_record_inside_it()
    {
        var services = new ServiceCollection().AddApplication();

        var behaviors = services.Where(d => d.ServiceType == typeof(IPipelineBehavior<,>)).Select(d => d.ImplementationType).ToList();

        Assert.Equal([typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>), typeof(AuditBehavior<,>)], behaviors);
    }

    [Theory]
    [InlineData("CardMall", "card_mall")]
    [InlineData("UserId", "user_id")]
    [InlineData("PK_users", "pk_users")]
    [InlineData("IX_api_keys_key_hash", "ix_api_keys_key_hash")]
    [InlineData("RoleNameIndex", "role_name_index")]
    [InlineData("HTMLBody", "html_body")]
    [InlineData("Sha256Hash", "sha256_hash")]
    [InlineData("already_snake", "already_snake")]
    public void Names_become_snake_case(string name, string expected) =>
        Assert.Equal(expected, SnakeCaseNaming.ToSnake(name));

    [Fact]
    public void An_api_key_is_random_prefixed_and_only_its_hash_is_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var (first, firstPlain) = ApiKey.Issue(Guid.NewGuid(), "shop", now);
        var (_, secondPlain) = ApiKey.Issue(Guid.NewGuid(), "shop", now);

        Assert.StartsWith(ApiKey.Prefix, firstPlain, StringComparison.Ordinal);
        Assert.NotEqual(firstPlain, secondPlain);
        Assert.True(firstPlain.Length >= 40);
        Assert.Equal(ApiKey.Hash(firstPlain), first.KeyHash);
        Assert.DoesNotContain(firstPlain, first.KeyHash, StringComparison.Ordinal);
        Assert.Equal(firstPlain[..10], first.Hint);
    }

    [Fact]
    public void Revoking_a_key_twice_keeps_the_first_revocation_time()
    {
        var (key, _) = ApiKey.Issue(Guid.NewGuid(), "shop", DateTimeOffset.UtcNow);
        var first = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

        key.Revoke(first);
        key.Revoke(first.AddHours(1));

        Assert.False(key.IsActive);
        Assert.Equal(first, key.RevokedAt);
    }

    [Theory]
    [InlineData(ErrorCodes.ValidationFailed, 400)]
    [InlineData(ErrorCodes.NotFound, 404)]
    [InlineData(ErrorCodes.OutOfStock, 409)]
    [InlineData(ErrorCodes.InsufficientBalance, 402)]
    [InlineData(ErrorCodes.IdempotencyKeyReused, 422)]
    [InlineData(ErrorCodes.RateLimited, 429)]
    [InlineData(ErrorCodes.InvalidState, 409)]
    [InlineData(ErrorCodes.Forbidden, 403)]
    public void Each_contract_error_code_has_the_status_the_api_promises(string code, int status) =>
        Assert.Equal(status, ApiProblems.StatusOf(code));

    [Theory]
    [InlineData("regular", MemberTier.Regular)]
    [InlineData("vip", MemberTier.Vip)]
    [InlineData("reseller", MemberTier.Reseller)]
    public void Tiers_round_trip_through_their_api_names(string name, MemberTier tier)
    {
        Assert.True(MemberTiers.TryParse(name, out var parsed));
        Assert.Equal(tier, parsed);
        Assert.Equal(name, tier.ToApi());
    }

    [Fact]
    public void Unknown_tiers_and_roles_are_refused()
    {
        Assert.False(MemberTiers.TryParse("gold", out _));
        Assert.False(ShopRoles.IsKnown("buyer"));
        Assert.True(ShopRoles.IsKnown("Buyer"));
    }

    [Fact]
    public void Migrations_are_numbered_unique_and_in_order()
    {
        var ids = MigrationRunner.Embedded.Select(m => m.Id).ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Select(i => i[..4]).Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9]{4}_[a-z0-9_]+$", id));
        Assert.All(MigrationRunner.Embedded, m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }
}
