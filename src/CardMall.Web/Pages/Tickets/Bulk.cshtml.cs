using System.Text;
using System.Text.Json;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Web.Api;
using CardMall.Web.Hosting;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Pages.Tickets;

/// <summary>
/// A reseller's bulk ticket at /Tickets/Bulk: one problem, many keys, pasted or uploaded as CSV/TXT.
/// After filing, the page shows how many keys matched and which lines did not (by line number — the
/// codes themselves are never shown back or kept).
/// </summary>
[Authorize(Roles = ShopRoles.Reseller)]
[RateLimitedPost(ShopLimit.TicketWriting)]
[RequestSizeLimit(NewModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = NewModel.MaxRequestBytes)]
public sealed class BulkModel(IMediator mediator, IOptions<AfterSalesOptions> options, IStringLocalizer<SharedResource> text)
    : PageModel
{
    public const int MaxFileBytes = 1024 * 1024;
    private const string ResultKey = "BulkTicketResult";

    [BindProperty]
    public BulkInput Input { get; set; } = new();

    /// <summary>What the last filing matched, shown once after the redirect.</summary>
    public BulkOutcome? Outcome { get; private set; }

    public AfterSalesOptions Limits => options.Value;

    public void OnGet()
    {
        if (TempData[ResultKey] is string json)
            Outcome = JsonSerializer.Deserialize<BulkOutcome>(json);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A refused form comes back with the pasted codes in it: no cache may keep that page.
        Response.Headers.CacheControl = "no-store";
        var lines = Input.Lines ?? "";
        if (Input.CodesFile is { Length: > 0 } file)
        {
            if (file.Length > MaxFileBytes)
            {
                ModelState.AddModelError("Input.CodesFile", text["MyTickets.Bulk.FileTooLarge", MaxFileBytes / 1024]);
                return Page();
            }
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            lines = await reader.ReadToEndAsync(ct);
        }
        var evidence = await EvidenceFiles.ReadAsync(Input.Images, Limits.MaxAttachmentBytes, ct);
        var category = TicketSlugs.TryParse<TicketCategory>(Input.Category, out var parsed) ? parsed : (TicketCategory)(-1);
        var filed = await mediator.Send(new FileBulkTicket(lines, category, Input.Description ?? "", Input.Device, evidence), ct);

        TempData[ResultKey] = JsonSerializer.Serialize(new BulkOutcome(filed.Ticket.TicketNo, filed.Matched, filed.Unmatched));
        return RedirectToPage();
    }

    public sealed class BulkInput
    {
        public string? Lines { get; set; }
        public IFormFile? CodesFile { get; set; }
        public string? Category { get; set; }
        public string? Description { get; set; }
        public string? Device { get; set; }
        public List<IFormFile> Images { get; set; } = [];
    }

    public sealed record BulkOutcome(string TicketNo, int Matched, IReadOnlyList<BulkLineRejected> Unmatched);
}
