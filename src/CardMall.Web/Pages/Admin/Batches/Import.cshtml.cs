using System.Text;
using CardMall.Application.Features.CardKeys;
using CardMall.Application.Features.Catalog;
using CardMall.Domain.Common;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Admin.Batches;

/// <summary>
/// An operator imports a batch: pasted lines or an uploaded TXT/CSV file (UTF-8), for a product from a
/// supplier at a unit cost. The answer is the number imported and the rejected lines by number and
/// reason; the codes themselves are never written back into the page (the textarea keeps what the
/// operator typed only when the form comes back with an error, so nothing has to be typed again).
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes, ValueLengthLimit = MaxRequestBytes)]
public sealed class ImportModel(IMediator mediator, IStringLocalizer<SharedResource> text) : PageModel, IReloadsPageData
{
    public const int MaxFileBytes = 10 * 1024 * 1024;
    private const int MaxRequestBytes = MaxFileBytes + 1024 * 1024;

    // Strict: a file in another encoding (GBK from a Chinese Excel) is refused, not stored as mojibake.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [BindProperty]
    public ImportInput Input { get; set; } = new();

    public IReadOnlyList<StaffProductRow> Products { get; private set; } = [];

    public IReadOnlyList<SupplierRow> Suppliers { get; private set; } = [];

    public ImportedBatch? Result { get; private set; }

    public async Task OnGetAsync(string? sku, CancellationToken ct)
    {
        Input.Sku = sku;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var lines = await ReadLinesAsync(ct);
        if (lines is null || !ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        ImportMemory.ReturnAfter(Response, lines.Count);
        Result = await mediator.Send(new ImportBatch(Input.Sku ?? "", Input.SupplierCode ?? "", Input.UnitCost ?? -1,
            Input.ExpiresAt is { } day ? ShopTime.EndOfDay(day) : null, lines), ct);
        // Imported: the pasted codes leave the form (ModelState would otherwise render them again).
        Input.Lines = null;
        ModelState.Remove("Input.Lines");
        await LoadAsync(ct);
        return Page();
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Products = await mediator.Send(new ListProductsForStaff(), cancellationToken);
        Suppliers = await mediator.Send(new ListSuppliers(), cancellationToken);
    }

    /// <summary>The lines of the uploaded file or of the textarea; null (with a field error) when neither or both.</summary>
    private async Task<IReadOnlyList<string>?> ReadLinesAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Input.Sku))
        {
            ModelState.AddModelError("Input.Sku", text["Admin.Batches.ProductRequired"]);
            return null;
        }
        var file = Input.File is { Length: > 0 } f ? f : null;
        if (file is not null && !string.IsNullOrWhiteSpace(Input.Lines))
        {
            ModelState.AddModelError("Input.File", text["Admin.Batches.PasteOrFile"]);
            return null;
        }
        if (file is null)
            return (Input.Lines ?? "").Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (file.Length > MaxFileBytes)
        {
            ModelState.AddModelError("Input.File", text["Admin.Batches.FileTooLarge", MaxFileBytes / 1024 / 1024]);
            return null;
        }
        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (extension is not (".txt" or ".csv"))
        {
            ModelState.AddModelError("Input.File", text["Admin.Batches.FileType"]);
            return null;
        }
        try
        {
            var lines = new List<string>();
            using var reader = new StreamReader(file.OpenReadStream(), StrictUtf8, detectEncodingFromByteOrderMarks: true);
            while (await reader.ReadLineAsync(ct) is { } line) lines.Add(line);
            return lines;
        }
        catch (DecoderFallbackException)
        {
            ModelState.AddModelError("Input.File", text["Admin.Batches.FileNotUtf8"]);
            return null;
        }
    }


    /// <summary>Named as ImportBatch names them, so its field errors land under the right inputs.</summary>
    public sealed class ImportInput
    {
        public string? Sku { get; set; }
        public string? SupplierCode { get; set; }
        public decimal? UnitCost { get; set; }
        public DateOnly? ExpiresAt { get; set; }
        public string? Lines { get; set; }
        public IFormFile? File { get; set; }
    }
}
