using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A buyer reports a problem with keys of one of their orders (from the order page, the ticket form or
/// the API). The ticket gets its SLA due times, an agent, and the buyer a confirmation — all at once. A key
/// that already has an open ticket of the buyer's is refused with <see cref="OpenTicketExistsException"/>.
/// </summary>
public sealed record CreateTicket(
    string OrderNo, IReadOnlyList<Guid> ItemIds, TicketCategory Category, string Description, string? Device,
    IReadOnlyList<EvidenceUpload> Evidence, string Channel = "web") : ICommand<TicketCreated>
{
    public override string ToString() => $"CreateTicket({OrderNo}, {Category}, {ItemIds.Count} items, {Evidence.Count} images)";
}

/// <summary>An uploaded evidence file as it arrived; its type is decided by its content.</summary>
public sealed record EvidenceUpload(string FileName, byte[] Content)
{
    public override string ToString() => $"EvidenceUpload({Content.Length} bytes)";
}

public sealed class CreateTicketValidator : AbstractValidator<CreateTicket>
{
    public CreateTicketValidator(IOptions<AfterSalesOptions> options)
    {
        RuleFor(x => x.OrderNo).NotEmpty().WithMessage(_ => AppText.Get("Tickets.OrderRequired")).MaximumLength(24);
        RuleFor(x => x.Category).IsInEnum().WithMessage(_ => AppText.Get("Tickets.CategoryUnknown"));
        RuleFor(x => x.Description).Must(d => !string.IsNullOrWhiteSpace(d)).WithMessage(_ => AppText.Get("Tickets.DescriptionRequired"))
            .MaximumLength(4000).WithMessage(_ => AppText.Format("Tickets.DescriptionTooLong", 4000));
        RuleFor(x => x.Device).MaximumLength(200).WithMessage(_ => AppText.Format("Tickets.DeviceTooLong", 200));
        RuleFor(x => x.ItemIds).Must(ids => ids.Count <= 100).WithMessage(_ => AppText.Get("Tickets.TooManyItems"));
        EvidenceRules.Apply(this, x => x.Evidence, options);
    }
}

/// <summary>Evidence rules shared by the new-ticket form, buyer replies and the bulk ticket.</summary>
public sealed class EvidenceUploadValidator : AbstractValidator<EvidenceUpload>
{
    public EvidenceUploadValidator(IOptions<AfterSalesOptions> options)
    {
        var max = options.Value.MaxAttachmentBytes;
        RuleFor(e => e.Content).Must(c => c.Length > 0 && c.Length <= max)
            .WithMessage(e => AppText.Format("Tickets.ImageTooLarge", EvidenceRules.SafeName(e.FileName), max / 1024 / 1024))
            .Must(c => EvidenceImage.DetectContentType(c) is not null)
            .WithMessage(e => AppText.Format("Tickets.ImageType", EvidenceRules.SafeName(e.FileName)));
    }
}

public static class EvidenceRules
{
    /// <summary>At most five images, each checked by <see cref="EvidenceUploadValidator"/>.</summary>
    public static void Apply<T>(AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IReadOnlyList<EvidenceUpload>>> evidence,
        IOptions<AfterSalesOptions> options)
    {
        var max = options.Value.MaxAttachments;
        validator.RuleFor(evidence).Must(e => e.Count <= max).WithMessage(_ => AppText.Format("Tickets.TooManyImages", max))
            .ForEach(e => e.SetValidator(new EvidenceUploadValidator(options)));
    }

    /// <summary>The file name as stored and shown: no path, no control characters, at most 100 characters.</summary>
    public static string SafeName(string? fileName)
    {
        var name = Path.GetFileName(fileName ?? "").Trim();
        name = new string(name.Where(c => !char.IsControl(c)).ToArray());
        if (name.Length == 0) name = "image";
        return name.Length > 100 ? name[^100..] : name;
    }

    /// <summary>Validated uploads as the ticket keeps them: a safe name and the content type read from the bytes.</summary>
    public static IReadOnlyList<Evidence> Checked(IReadOnlyList<EvidenceUpload> uploads) =>
        uploads.Select(e => new Evidence(SafeName(e.FileName), EvidenceImage.DetectContentType(e.Content)!, e.Content)).ToList();
}

internal sealed class CreateTicketHandler(ICardMallDb db, ICurrentUser currentUser, TicketFiling filing, OpenTicketForKeys openTickets)
    : IRequestHandler<CreateTicket, TicketCreated>
{
    public async Task<TicketCreated> Handle(CreateTicket request, CancellationToken ct)
    {
        var userId = currentUser.RequireUserId();
        var order = await db.Orders.Include(o => o.Items).AsNoTracking()
            .FirstOrDefaultAsync(o => o.No == request.OrderNo.Trim() && o.UserId == userId, ct)
            ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));
        // An order still awaiting its payment (or expired unpaid) has delivered nothing to complain about.
        if (order.Status is Domain.Orders.OrderStatus.AwaitingPayment or Domain.Orders.OrderStatus.Expired)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Tickets.OrderNotPaid"));

        var wanted = request.ItemIds.Distinct().ToList();
        if (wanted.Any(id => order.Items.All(i => i.Id != id)))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.ItemIds), AppText.Get("Tickets.ItemsNotInOrder"))]);
        // No keys chosen means the whole order (e.g. "not received").
        var items = wanted.Count == 0 ? order.Items.Select(i => i.Id).ToList() : wanted;
        // One open ticket per key: a second complaint about a key goes to the open ticket (409 naming it).
        await openTickets.RequireNoneAsync(userId, items, ct);

        var priority = currentUser.IsInRole(ShopRoles.Reseller) ? TicketPriority.High : TicketPriority.Normal;
        var ticket = await filing.FileAsync(new NewTicket(userId, order.Id, request.Category, priority, request.Description.Trim(),
            request.Device?.Trim(), request.Channel, IsBulk: false, items.Select(i => (order.Id, i)).ToList(), request.Evidence), ct);
        return TicketCreated.From(ticket);
    }
}

public sealed record TicketCreated(string TicketNo, TicketStatus Status, TicketPriority Priority, TicketCategory Category,
    DateTimeOffset FirstResponseDueAt, DateTimeOffset ResolutionDueAt)
{
    internal static TicketCreated From(Ticket t) =>
        new(t.No, t.Status, t.Priority, t.Category, t.FirstResponseDueAt, t.ResolutionDueAt);
}
