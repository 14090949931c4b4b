using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Tickets;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A reseller reports one problem for many keys at once (a bad batch, a supplier outage): the codes are
/// pasted, or a CSV/TXT file is uploaded (our own key download works as it is), one code per line or in
/// the first column. Each code is matched by its fingerprint to a key sold on the reseller's own orders;
/// lines that match nothing are reported back by line number, and the ticket covers every key that
/// matched. Codes are never stored, echoed or logged — only the matched keys are linked.
/// </summary>
public sealed record FileBulkTicket(
    string Lines, TicketCategory Category, string Description, string? Device, IReadOnlyList<EvidenceUpload> Evidence) : ICommand<BulkTicketFiled>
{
    public override string ToString() => $"FileBulkTicket({Category}, {Lines.Length} chars, {Evidence.Count} images)";
}

public sealed class FileBulkTicketValidator : AbstractValidator<FileBulkTicket>
{
    public const int MaxLines = 1000;
    public const int MaxChars = 200_000;

    public FileBulkTicketValidator(IOptions<AfterSalesOptions> options)
    {
        RuleFor(x => x.Lines).Must(l => !string.IsNullOrWhiteSpace(l)).WithMessage(_ => AppText.Get("BuyerTickets.BulkNoLines"))
            .MaximumLength(MaxChars).WithMessage(_ => AppText.Format("BuyerTickets.BulkTooManyLines", MaxLines))
            .Must(l => BulkCodes.Read(l).Count <= MaxLines).WithMessage(_ => AppText.Format("BuyerTickets.BulkTooManyLines", MaxLines));
        RuleFor(x => x.Category).IsInEnum().WithMessage(_ => AppText.Get("Tickets.CategoryUnknown"));
        RuleFor(x => x.Description).Must(d => !string.IsNullOrWhiteSpace(d)).WithMessage(_ => AppText.Get("Tickets.DescriptionRequired"))
            .MaximumLength(4000).WithMessage(_ => AppText.Format("Tickets.DescriptionTooLong", 4000));
        RuleFor(x => x.Device).MaximumLength(200).WithMessage(_ => AppText.Format("Tickets.DeviceTooLong", 200));
        EvidenceRules.Apply(this, x => x.Evidence, options);
    }
}

internal sealed class FileBulkTicketHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, TicketFiling filing, OpenTicketForKeys openTickets)
    : IRequestHandler<FileBulkTicket, BulkTicketFiled>
{
    public async Task<BulkTicketFiled> Handle(FileBulkTicket request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireAnyRole(ShopRoles.Reseller);
        var lines = BulkCodes.Read(request.Lines);
        var fingerprints = lines.Select(l => Convert.ToHexString(vault.Fingerprint(ICardKeyVault.Normalize(l.Code)))).ToList();
        var wanted = fingerprints.Distinct().Select(Convert.FromHexString).ToList();

        // Only keys sold on the caller's own orders: another reseller's code is as unknown as a made-up one.
        var owned = await (from oi in db.OrderItems
                           join o in db.Orders on oi.OrderId equals o.Id
                           join k in db.CardKeys on oi.CardKeyId equals k.Id
                           where o.UserId == userId && wanted.Contains(k.CodeHash)
                           select new { ItemId = oi.Id, oi.OrderId, k.CodeHash, k.State })
            .ToListAsync(cancellationToken);
        var byFingerprint = owned.ToDictionary(k => Convert.ToHexString(k.CodeHash));

        // A key already on an open ticket of the caller's stays there: that line is reported, not filed twice.
        var alreadyOpen = await openTickets.FindEachAsync(userId, owned.Select(k => k.ItemId).ToList(), cancellationToken);
        var matched = new List<(Guid ItemId, Guid OrderId)>();
        var seen = new HashSet<string>();
        var unmatched = new List<BulkLineRejected>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Number;
            if (!seen.Add(fingerprints[i]))
                unmatched.Add(new BulkLineRejected(line, AppText.Get("BuyerTickets.BulkLineDuplicate")));
            else if (!byFingerprint.TryGetValue(fingerprints[i], out var key))
                unmatched.Add(new BulkLineRejected(line, AppText.Get("BuyerTickets.BulkLineNotYours")));
            else if (key.State == CardKeyState.Void)
                unmatched.Add(new BulkLineRejected(line, AppText.Get("BuyerTickets.BulkLineReplaced")));
            else if (alreadyOpen.TryGetValue(key.ItemId, out var openTicket))
                unmatched.Add(new BulkLineRejected(line, AppText.Format("Tickets.OpenTicketExists", openTicket)));
            else
                matched.Add((key.ItemId, key.OrderId));
        }
        if (matched.Count == 0)
            throw new ValidationException([new ValidationFailure(nameof(request.Lines), AppText.Get("BuyerTickets.BulkNothingMatched"))]);

        // Filed like any other ticket (SLA, routing, notifications); a reseller's starts at High priority.
        var ticket = await filing.FileAsync(new NewTicket(userId, OrderId: null, request.Category, TicketPriority.High, request.Description.Trim(),
            request.Device?.Trim(), "web", IsBulk: true, matched.Select(m => (m.OrderId, m.ItemId)).ToList(), request.Evidence), cancellationToken);

        return new BulkTicketFiled(TicketCreated.From(ticket), matched.Count, unmatched);
    }
}

/// <summary>
/// Reads pasted lines or a CSV/TXT file: one code per line, or the first column (comma, semicolon or
/// tab separated, quotes allowed), or code----secret as our key download writes it. Blank lines and a
/// "code" header are skipped; line numbers are those of the original text.
/// </summary>
internal static class BulkCodes
{
    public static IReadOnlyList<BulkCode> Read(string? text)
    {
        var result = new List<BulkCode>();
        var lines = (text ?? "").TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var code = FirstColumn(lines[i].TrimEnd('\r'));
            if (ICardKeyVault.Normalize(code).Length == 0) continue;
            if (result.Count == 0 && code.Trim().Equals("code", StringComparison.OrdinalIgnoreCase)) continue;
            result.Add(new BulkCode(i + 1, code));
        }
        return result;
    }

    private static string FirstColumn(string line)
    {
        var s = line.Trim();
        if (s.StartsWith('"'))
        {
            var close = s.IndexOf('"', 1);
            return close < 0 ? s[1..] : s[1..close];
        }
        var cut = s.IndexOfAny([',', ';', '\t']);
        if (cut >= 0) s = s[..cut];
        var secret = s.IndexOf("----", StringComparison.Ordinal);
        return secret >= 0 ? s[..secret] : s;
    }
}

internal sealed record BulkCode(int Number, string Code)
{
    public override string ToString() => $"BulkCode({Number}, ****)";
}

public sealed record BulkLineRejected(int Line, string Reason);

public sealed record BulkTicketFiled(TicketCreated Ticket, int Matched, IReadOnlyList<BulkLineRejected> Unmatched);
