using CardMall.Application.Abstractions;
using CardMall.Application.Features.Verification;
using CardMall.Domain.Common;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.SandboxSupplier;

/// <summary>
/// The built-in sandbox supplier (模拟供应商): paste a key, choose what the supplier will answer for it
/// (unused, redeemed at a time, invalid, slow, error), save. The code is fingerprinted and never kept, so
/// the list shows keys by the start of their fingerprint, and the code just saved only masked. Not there
/// at all while the sandbox supplier is disabled.
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class IndexModel(IMediator mediator, ISandboxSupplier sandbox) : PageModel, IReloadsPageData
{
    [BindProperty]
    public AnswerInput Input { get; set; } = new();

    public IReadOnlyList<SandboxAnswerRow> Answers { get; private set; } = [];

    [TempData]
    public string? SavedCode { get; set; }

    [TempData]
    public string? SavedAnswer { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!sandbox.IsEnabled) return NotFound();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!sandbox.IsEnabled) return NotFound();
        // The time is typed in shop time (Beijing), like every time the staff pages show.
        DateTimeOffset? redeemedAt = Input.RedeemedAt is { } local
            ? new DateTimeOffset(local, ShopTime.Zone.GetUtcOffset(local)).ToUniversalTime()
            : null;
        var set = await mediator.Send(new SetSandboxSupplierAnswer(Input.Code ?? "", Input.Answer ?? "", redeemedAt), ct);
        SavedCode = set.MaskedCode;
        SavedAnswer = set.Answer;
        return RedirectToPage();
    }

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        Answers = await mediator.Send(new ListSandboxSupplierAnswers(), cancellationToken);

    public sealed class AnswerInput
    {
        public string? Code { get; set; }
        public string? Answer { get; set; } = SandboxAnswers.Invalid;
        public DateTime? RedeemedAt { get; set; }

        public override string ToString() => $"AnswerInput(****, {Answer})";
    }
}
