using System.Security.Cryptography;
using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Application.Csv;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.CardKeys;

/// <summary>
/// An operator imports a batch of keys for a product: lines as <c>code</c>, <c>code,secret</c> or
/// <c>code----secret</c> (a CSV header line is skipped). Lines repeating another line of the batch or
/// a key already stored, and keys that start like a spreadsheet formula, are rejected and reported; the rest are encrypted and stored with COPY, so
/// 100,000 lines fit in one request.
/// </summary>
public sealed record ImportBatch(string Sku, string SupplierCode, decimal UnitCost, DateTimeOffset? ExpiresAt, IReadOnlyList<string> Lines)
    : IAuditedCommand<ImportedBatch>
{
    public AuditNote Audit(ImportedBatch result) => new(AuditActions.BatchImported, Sku, $"batch {result.BatchId} from {SupplierCode}: {result.Imported} keys imported, {result.Rejected.Count} rejected, unit cost {UnitCost:0.00}");
}

public sealed class ImportBatchValidator : AbstractValidator<ImportBatch>
{
    public const int MaxLines = 200_000;

    public ImportBatchValidator(TimeProvider clock)
    {
        RuleFor(x => x.SupplierCode).NotEmpty().WithMessage(_ => AppText.Get("CardKeys.SupplierUnknown"));
        RuleFor(x => x.UnitCost).Must(c => c >= 0 && c <= 1_000_000 && decimal.Round(c, 2) == c).WithMessage(_ => AppText.Get("CardKeys.UnitCostInvalid"));
        RuleFor(x => x.Lines).NotNull().Must(l => l.Any(s => !string.IsNullOrWhiteSpace(s))).WithMessage(_ => AppText.Get("CardKeys.LinesRequired"))
            .Must(l => l.Count <= MaxLines).WithMessage(_ => AppText.Get("CardKeys.TooManyLines"));
        RuleFor(x => x.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).WithMessage(_ => AppText.Get("CardKeys.ExpiryInPast"));
    }
}

internal sealed class ImportBatchHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, ICardKeyBulkWriter writer, TimeProvider clock)
    : IRequestHandler<ImportBatch, ImportedBatch>
{
    // One import at a time: two batches sharing a code must not both pass the duplicate check.
    private const long ImportLockId = 0x4B6579496D706F72; // "KeyImpor"

    public async Task<ImportedBatch> Handle(ImportBatch request, CancellationToken cancellationToken)
    {
        var operatorId = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var product = await db.Products.FirstOrDefaultAsync(p => p.Sku == request.Sku, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Catalog.ProductNotFound"));
        var supplier = await db.Suppliers.FirstOrDefaultAsync(s => s.Code == request.SupplierCode, cancellationToken)
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.SupplierCode), AppText.Get("CardKeys.SupplierUnknown"))]);

        await db.Locks.TakeTurnsAsync(ImportLockId, cancellationToken);

        var rejected = new List<RejectedLine>();
        var candidates = new List<(int Line, string Code, string? Secret, byte[] Hash)>();
        // Fingerprints are compared as bytes, not as hex strings: a 200,000-line file holds no second copy of itself.
        var firstLineOf = new Dictionary<byte[], int>(Fingerprints.Comparer);
        for (var i = 0; i < request.Lines.Count; i++)
        {
            var lineNo = i + 1;
            var raw = request.Lines[i];
            // Blank lines (common in pasted text) and a CSV header are not keys.
            if (string.IsNullOrWhiteSpace(raw) || (i == 0 && IsHeader(raw))) continue;
            var parsed = ParseLine(raw);
            if (parsed is null)
            {
                rejected.Add(new RejectedLine(lineNo, AppText.Get("CardKeys.RejectEmpty")));
                continue;
            }
            var (code, secret) = parsed.Value;
            // Escaping a key on export would change what the buyer types, so a key that a spreadsheet would run as a
            // formula is refused here. The line's own leading tab or CR counts too, although parsing trims it.
            if (CsvCells.CouldRunAsFormula(code) || CsvCells.CouldRunAsFormula(secret) || CsvCells.CouldRunAsFormula(raw.TrimStart(' ', '\uFEFF')))
            {
                rejected.Add(new RejectedLine(lineNo, AppText.Get("CardKeys.RejectFormula")));
                continue;
            }
            if (code.Length > 128 || secret?.Length > 128) { rejected.Add(new RejectedLine(lineNo, AppText.Get("CardKeys.RejectTooLong"))); continue; }
            if (ICardKeyVault.Normalize(code).Length < 4) { rejected.Add(new RejectedLine(lineNo, AppText.Get("CardKeys.RejectTooShort"))); continue; }
            var hash = vault.Fingerprint(code);
            if (!firstLineOf.TryAdd(hash, lineNo))
            {
                rejected.Add(new RejectedLine(lineNo, AppText.Format("CardKeys.RejectDuplicateInBatch", firstLineOf[hash])));
                continue;
            }
            candidates.Add((lineNo, code, secret, hash));
        }

        firstLineOf.Clear();
        var stored = new HashSet<byte[]>(Fingerprints.Comparer);
        foreach (var chunk in candidates.Select(c => c.Hash).Chunk(10_000))
        {
            var found = await db.CardKeys.Where(k => chunk.Contains(k.CodeHash)).Select(k => k.CodeHash).ToListAsync(cancellationToken);
            stored.UnionWith(found);
        }

        var now = clock.GetUtcNow();
        var batch = new KeyBatch(product.Id, supplier.Id, request.UnitCost, request.ExpiresAt, operatorId, FileHash(request.Lines), now)
        {
            LineCount = request.Lines.Count(l => !string.IsNullOrWhiteSpace(l)),
        };
        var fresh = candidates.Where(c => !stored.Contains(c.Hash)).ToList();
        rejected.AddRange(candidates.Where(c => stored.Contains(c.Hash)).Select(c => new RejectedLine(c.Line, AppText.Get("CardKeys.RejectAlreadyStored"))));
        candidates.Clear();
        batch.ImportedCount = fresh.Count;
        batch.RejectedCount = rejected.Count;
        db.KeyBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);

        // Sealed and written a slice at a time, in the same transaction: the sealed keys of the whole file
        // are never in memory at once.
        foreach (var slice in fresh.Chunk(5_000))
        {
            var keys = slice.Select(c =>
            {
                var sealedKey = vault.Seal(c.Code, c.Secret, c.Hash);
                return new CardKey(Guid.CreateVersion7(), product.Id, batch.Id, c.Hash, sealedKey.CodeCipher, sealedKey.SecretCipher, sealedKey.KeyVersion, request.ExpiresAt, now);
            }).ToList();
            await writer.WriteAsync(keys, cancellationToken);
        }

        return new ImportedBatch(batch.Id, fresh.Count, rejected.OrderBy(r => r.Line).ToList());
    }

    /// <summary><c>code</c>, <c>code,secret</c>, <c>code----secret</c>, optionally CSV-quoted; null for a blank line.</summary>
    internal static (string Code, string? Secret)? ParseLine(string line)
    {
        var text = line.Trim().TrimStart('\uFEFF');
        if (text.Length == 0) return null;
        string code;
        string? secret = null;
        var dashes = text.IndexOf("----", StringComparison.Ordinal);
        if (dashes >= 0)
        {
            code = text[..dashes];
            secret = text[(dashes + 4)..];
        }
        else if (text.Contains(',', StringComparison.Ordinal))
        {
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            code = text[..comma];
            secret = text[(comma + 1)..];
        }
        else
        {
            code = text;
        }
        code = Unquote(code);
        secret = secret is null ? null : Unquote(secret);
        if (secret is { Length: 0 }) secret = null;
        return code.Length == 0 ? null : (code, secret);
    }

    private static string Unquote(string value)
    {
        var v = value.Trim();
        return v.Length >= 2 && v[0] == '"' && v[^1] == '"' ? v[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal).Trim() : v;
    }

    internal static bool IsHeader(string line)
    {
        var t = line.Trim().TrimStart('\uFEFF').ToLowerInvariant().Replace("\"", "", StringComparison.Ordinal);
        return t is "code" or "code,secret" or "card,password" or "卡号,密码" or "卡号" or "卡密";
    }

    private static string FileHash(IReadOnlyList<string> lines)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(line));
            sha.AppendData("\n"u8);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

public sealed record ImportedBatch(Guid BatchId, int Imported, IReadOnlyList<RejectedLine> Rejected);

public sealed record RejectedLine(int Line, string Reason);

/// <summary>Compares key fingerprints (HMAC-SHA256 bytes) by value.</summary>
internal sealed class Fingerprints : IEqualityComparer<byte[]>
{
    public static readonly Fingerprints Comparer = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    // A fingerprint is an HMAC: its first bytes are already evenly spread.
    public int GetHashCode(byte[] obj) => obj.Length >= 4 ? BitConverter.ToInt32(obj, 0) : obj.Length;
}

