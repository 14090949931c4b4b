using CsvHelper;

namespace CardMall.Application.Csv;

/// <summary>
/// The one rule for a cell of any CSV the shop hands out (key downloads, dashboard tables, and any export to
/// come): a spreadsheet runs a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
/// carriage return as a formula (CSV injection, OWASP). Text such a cell would start with is written with a
/// leading <c>'</c>, which Excel reads as "this is text"; numbers are written as numbers, so -5 stays -5.
/// Card keys are different: escaping one would change what the buyer types, so an import refuses a key that
/// starts like a formula (<see cref="CouldRunAsFormula"/>) and a key in a download never needs the quote.
/// </summary>
public static class CsvCells
{
    /// <summary>What a cell must not start with; the writer options below escape exactly these.</summary>
    public static readonly IReadOnlyList<char> FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static bool CouldRunAsFormula(string? text) => text is { Length: > 0 } && FormulaStarts.Contains(text[0]);

    /// <summary>
    /// Writer options for every export: UTF-8 with a byte-order mark (without it Excel reads the file in the
    /// local ANSI code page and garbles Chinese), and text that could run as a formula escaped with <c>'</c>.
    /// </summary>
    public static CsvWriterOptions Options => new()
    {
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
        InjectionCharacters = new string([.. FormulaStarts]),
        InjectionEscape = '\'',
    };
}
