using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// How much evidence one buyer may upload in 24 hours (<see cref="AfterSalesOptions.EvidenceImagesPerDay"/> images
/// and <see cref="AfterSalesOptions.EvidenceBytesPerDay"/> bytes, across all their tickets, replies and chat images). Images
/// are kept in the database for as long as the tickets live, so one script filing ticket after ticket with five
/// 5 MB images each must not be able to fill it. Checked before anything is written: over the quota, the
/// ticket or reply is refused whole with a form error (400 validation_failed on the API).
/// </summary>
internal sealed class EvidenceQuota(ICardMallDb db, TimeProvider clock, IOptions<AfterSalesOptions> options)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>Throws a <see cref="ValidationException"/> on <paramref name="field"/> when these images would pass the buyer's quota.</summary>
    public async Task EnsureRoomAsync(Guid buyerId, IReadOnlyList<EvidenceUpload> evidence, string field, CancellationToken ct)
    {
        if (evidence.Count == 0) return;
        // Two uploads of one buyer at the same moment must not both fit in the room that is left for one.
        await db.Locks.PersonAsync(PersonLock.EvidenceQuota, buyerId, ct);
        var since = clock.GetUtcNow() - Window;
        // Screenshots sent in live chat count too: a chat is no way round the ticket limits.
        var tickets = db.TicketAttachments.Where(a => a.UploadedBy == buyerId && a.CreatedAt > since);
        var chats = db.ChatAttachments.Where(a => a.UploadedBy == buyerId && a.CreatedAt > since);
        var usedCount = await tickets.CountAsync(ct) + await chats.CountAsync(ct);
        var usedBytes = await tickets.SumAsync(a => (long)a.SizeBytes, ct) + await chats.SumAsync(a => (long)a.SizeBytes, ct);
        var settings = options.Value;
        if (usedCount + evidence.Count > settings.EvidenceImagesPerDay)
            throw Refused(field, AppText.Format("Tickets.EvidenceQuotaImages", settings.EvidenceImagesPerDay, usedCount));
        if (usedBytes + evidence.Sum(e => (long)e.Content.Length) > settings.EvidenceBytesPerDay)
            throw Refused(field, AppText.Format("Tickets.EvidenceQuotaBytes", Megabytes(settings.EvidenceBytesPerDay), Megabytes(usedBytes)));
    }

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.#", CultureInfo.CurrentCulture);

    private static ValidationException Refused(string field, string message) => new([new ValidationFailure(field, message)]);
}
