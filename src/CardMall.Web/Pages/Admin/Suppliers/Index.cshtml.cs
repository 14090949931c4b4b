using CardMall.Application.Features.CardKeys;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Suppliers;

/// <summary>
/// The suppliers and a form to register one. The webhook secret is typed once and never shown again:
/// it is not rendered back even when the form comes back with errors.
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    [BindProperty]
    public SupplierInput Input { get; set; } = new();

    public IReadOnlyList<SupplierRow> Suppliers { get; private set; } = [];

    [TempData]
    public string? Created { get; set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var created = await mediator.Send(new CreateSupplier((Input.Code ?? "").Trim(), Input.Name ?? "", Input.WebhookSecret ?? "",
            Input.Protocol ?? SupplierProtocols.Sandbox, Input.ApiBaseUrl), ct);
        Created = created.Code;
        return RedirectToPage();
    }

    public async Task LoadAsync(CancellationToken cancellationToken) => Suppliers = await mediator.Send(new ListSuppliers(), cancellationToken);

    public sealed class SupplierInput
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? WebhookSecret { get; set; }
        public string? Protocol { get; set; } = SupplierProtocols.Sandbox;
        public string? ApiBaseUrl { get; set; }
    }
}
