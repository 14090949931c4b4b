using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Wallet;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Wallet;

/// <summary>The buyer's wallet: balance, a top-up form, recent top-ups and the ledger, page by page.</summary>
[Authorize]
public sealed class IndexModel(IMediator mediator, IEnumerable<IPaymentGateway> gateways) : PageModel, IReloadsPageData
{
    public static readonly decimal[] Presets = [50m, 100m, 200m, 500m];

    [BindProperty]
    public TopUpInput Input { get; set; } = new();

    public WalletView Wallet { get; private set; } = new(0m, "CNY");
    public IReadOnlyList<TopUpView> TopUps { get; private set; } = [];
    public Paged<LedgerLine> Ledger { get; private set; } = new([], 1, 20, 0);
    public int LedgerPageNo { get; private set; } = 1;

    /// <summary>False when no gateway takes payments (the sandbox switched off and no real one configured).</summary>
    public bool CanTopUp => gateways.Any(g => g.AcceptsNewPayments);

    public bool ThroughSandbox => gateways.FirstOrDefault(g => g.AcceptsNewPayments)?.Name == Payments.SandboxGateway.GatewayName;

    /// <summary>The ledger page is "p", not "page": Razor Pages reserves that route value for the page's own path.</summary>
    public async Task OnGetAsync(int p = 1, CancellationToken cancellationToken = default)
    {
        LedgerPageNo = Math.Clamp(p, 1, 100_000);
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var started = await mediator.Send(new CreateTopUp(Input.Amount), cancellationToken);
        // The gateway's page: ours for the sandbox, another site for a real gateway.
        return Redirect(started.PayUrl);
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Wallet = await mediator.Send(new GetWallet(), cancellationToken);
        TopUps = await mediator.Send(new ListTopUps(5), cancellationToken);
        Ledger = await mediator.Send(new GetLedger(LedgerPageNo), cancellationToken);
    }

    public sealed class TopUpInput
    {
        /// <summary>One of the preset amounts.</summary>
        public string? Preset { get; set; } = "100";

        /// <summary>Another amount; when filled in, it is the one topped up.</summary>
        public string? Other { get; set; }

        /// <summary>The amount asked for; 0 when what was typed is not a number (the use case then says what it accepts).</summary>
        public decimal Amount =>
            decimal.TryParse(string.IsNullOrWhiteSpace(Other) ? Preset : Other.Trim().TrimStart('¥', '￥'),
                NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : 0m;
    }
}
