using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Domain.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CardMall.Application.Abstractions;

/// <summary>The database as handlers see it: the sets they use, nothing generic on top.</summary>
public interface ICardMallDb
{
    DbSet<ShopUser> Users { get; }
    DbSet<IdentityRole<Guid>> Roles { get; }
    DbSet<IdentityUserRole<Guid>> UserRoles { get; }
    DbSet<ApiKey> ApiKeys { get; }
    DbSet<Category> Categories { get; }

    DatabaseFacade Database { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets every tracked entity, so a retried transaction starts from the database.</summary>
    void ResetTracking();
}
