using CardMall.Domain.CardKeys;

namespace CardMall.Application.Abstractions;

/// <summary>Writes many new card keys at once (PostgreSQL COPY) inside the current transaction.</summary>
public interface ICardKeyBulkWriter
{
    Task WriteAsync(IReadOnlyList<CardKey> keys, CancellationToken cancellationToken);
}
