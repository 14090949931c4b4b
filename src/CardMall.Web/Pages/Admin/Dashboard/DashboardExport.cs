using System.Globalization;
using CardMall.Application.Csv;
using CardMall.Application.Localization;
using CardMall.Web.Pages.Admin.Tickets;
using CsvHelper;
using Microsoft.Extensions.Localization;
using ShopDashboard = CardMall.Application.Features.Dashboards.Dashboard;

namespace CardMall.Web.Pages.Admin.Dashboard;

/// <summary>
/// A dashboard table as CSV for operators' spreadsheets, written by the shop's one cell rule
/// (<see cref="CsvCells"/>: UTF-8 with a byte-order mark, no cell that runs as a formula), headers in the viewer's language, one
/// line per table row. Values are raw: invariant digits, money without the ¥, rates as percentages with
/// one decimal and durations in minutes with one decimal (the headers say so), empty for "no data".
/// </summary>
public static class DashboardExport
{
    public static readonly IReadOnlyList<string> Tables = ["products", "suppliers", "categories", "agents", "daily"];

    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(string table, ShopDashboard d) =>
        string.Create(CultureInfo.InvariantCulture, $"cardmall-{table}-{d.Period.From:yyyy-MM-dd}_{d.Period.To:yyyy-MM-dd}.csv");

    public static byte[] Write(string table, ShopDashboard d, IStringLocalizer t)
    {
        using var buffer = new MemoryStream();
        // Names are typed by people: one starting with = or + must stay text in a spreadsheet, not run as a formula.
        using (var csv = CsvWriter.Create(buffer, CsvCells.Options, leaveOpen: true))
        {
            var (headers, rows) = Table(table, d, t);
            csv.WriteHeader(headers.Select(h => t[h].Value).ToArray());
            foreach (var row in rows)
            {
                foreach (var cell in row) Write(csv, cell);
                csv.EndRecord();
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Text goes through the injection guard; numbers are written as numbers, so -5 stays -5.</summary>
    private static void Write(CsvWriter csv, object? cell)
    {
        switch (cell)
        {
            case int n: csv.WriteField(n, default); break;
            case decimal money: csv.WriteField(money, "0.00"); break;
            case Number { Value: { } v } number: csv.WriteField(v, number.Format); break;
            case string text: csv.WriteField(text); break;
            default: csv.WriteField((string?)null); break;
        }
    }

    private static (string[] Headers, IEnumerable<object?[]> Rows) Table(string table, ShopDashboard d, IStringLocalizer t) => table switch
    {
        "products" => (
            ["Dashboard.Csv.Sku", "Dashboard.Csv.Product", "Dashboard.Csv.Orders", "Dashboard.Csv.Revenue", "Dashboard.Csv.Tickets",
             "Dashboard.Csv.AfterSalesRate", "Dashboard.Csv.Refunded", "Dashboard.Csv.Flagged"],
            d.Products.Select(p => new object?[]
            {
                p.Sku, VisitorLanguage.IsEnglish ? p.NameEn : p.Name, p.Orders, p.Revenue, p.Tickets, Percent(p.AfterSalesRate), p.Refunded,
                Flag(p.Flagged, t),
            })),
        "suppliers" => (
            ["Dashboard.Csv.SupplierCode", "Dashboard.Csv.Supplier", "Dashboard.Csv.KeysSold", "Dashboard.Csv.Tickets", "Dashboard.Csv.AfterSalesRate",
             "Dashboard.Csv.DefectRate", "Dashboard.Csv.Escalations", "Dashboard.Csv.EscalationResponse", "Dashboard.Csv.ApiCalls",
             "Dashboard.Csv.ApiErrorRate", "Dashboard.Csv.Latency", "Dashboard.Csv.OpenIncidents", "Dashboard.Csv.Liability", "Dashboard.Csv.Flagged"],
            d.Suppliers.Select(s => new object?[]
            {
                s.Code, s.Name, s.KeysSold, s.Tickets, Percent(s.AfterSalesRate), Percent(s.DefectRate), s.Escalations,
                Minutes(s.EscalationResponseMedian), s.Calls, Percent(s.ApiErrorRate), Whole(s.LatencyMedianMs), s.OpenIncidents, s.Liability,
                Flag(s.Flagged, t),
            })),
        "categories" => (
            ["Dashboard.Csv.Category", "Dashboard.Csv.Tickets", "Dashboard.Csv.Share", "Dashboard.Csv.ResolutionMedian"],
            d.Categories.Select(c => new object?[] { TicketDisplay.Word(c.Category), c.Tickets, Percent(c.Share), Minutes(c.ResolutionMedian) })),
        "agents" => (
            ["Dashboard.Csv.Agent", "Dashboard.Csv.Handled", "Dashboard.Csv.FirstResponseMedian", "Dashboard.Csv.ResolutionMedian",
             "Dashboard.Csv.Rated", "Dashboard.Csv.AverageRating", "Dashboard.Csv.RefundsIssued"],
            d.Agents.Select(a => new object?[]
            {
                a.Name, a.Handled, Minutes(a.FirstResponseMedian), Minutes(a.ResolutionMedian), a.Rated, Rating(a.AverageRating), a.RefundsIssued,
            })),
        "daily" => (
            ["Dashboard.Csv.Day", "Dashboard.Csv.Orders", "Dashboard.Csv.Tickets", "Dashboard.Csv.FirstResponseSla", "Dashboard.Csv.Rated",
             "Dashboard.Csv.AverageRating"],
            d.Daily.Select(x => new object?[]
            {
                x.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x.Orders, x.Tickets, Percent(x.FirstResponseCompliance), x.Rated,
                Rating(x.AverageRating),
            })),
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Not a dashboard table."),
    };

    /// <summary>A number that may be missing, with the digits it is written with.</summary>
    private readonly record struct Number(double? Value, string Format);

    private static Number Percent(double? share) => new(share is { } s ? Math.Round(s * 100, 1) : null, "0.0");

    private static Number Minutes(double? seconds) => new(seconds is { } s ? Math.Round(s / 60, 1) : null, "0.0");

    private static Number Rating(double? average) => new(average is { } r ? Math.Round(r, 2) : null, "0.00");

    private static Number Whole(double? value) => new(value is { } v ? Math.Round(v) : null, "0");

    private static string Flag(bool flagged, IStringLocalizer t) => flagged ? t["Dashboard.Csv.Yes"] : "";
}
