using CardMall.Application.Abstractions;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Infrastructure.Suppliers;

/// <summary>
/// <see cref="ISandboxSupplier"/> over <c>sandbox_supplier_keys</c>, through the request's own context so
/// that setting an answer is part of the command's transaction.
/// </summary>
internal sealed class SandboxSupplierBook(CardMallDbContext db, IOptions<SandboxSupplierOptions> options) : ISandboxSupplier
{
    public bool IsEnabled => options.Value.IsEnabled;

    public async Task SetAnswerAsync(byte[] fingerprint, string answer, DateTimeOffset? redeemedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One statement: two operators setting the same key at once both succeed, the later one wins.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO sandbox_supplier_keys (code_hash, answer, redeemed_at, updated_at)
            VALUES ({fingerprint}, {answer}, {redeemedAt}, {now})
            ON CONFLICT (code_hash) DO UPDATE
            SET answer = excluded.answer, redeemed_at = excluded.redeemed_at, updated_at = excluded.updated_at
            """, cancellationToken);
    }

    public async Task<IReadOnlyList<SandboxAnswerRow>> ListAnswersAsync(int take, CancellationToken cancellationToken)
    {
        var rows = await db.SandboxSupplierKeys.AsNoTracking()
            .OrderByDescending(k => k.UpdatedAt)
            .Take(take)
            .ToListAsync(cancellationToken);
        return rows.Select(k => new SandboxAnswerRow(Convert.ToHexStringLower(k.CodeHash)[..10], k.Answer, k.RedeemedAt, k.UpdatedAt)).ToList();
    }
}
