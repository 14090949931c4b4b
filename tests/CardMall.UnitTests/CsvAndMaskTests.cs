using System.Text;
using CardMall.Application.Csv;
using CardMall.Domain.CardKeys;
using CsvHelper;

namespace CardMall.UnitTests;

/// <summary>
/// The one CSV cell rule and the one key mask (issue 14, items 12 and 13): every text cell a spreadsheet could
/// run as a formula gets a leading quote, numbers stay numbers, the import's test names the same characters;
/// a masked key never shows more than its last four characters.
/// </summary>
public sealed class CsvAndMaskTests
{
    [Theory]
    [InlineData("=HYPERLINK(A1)")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public void Text_that_a_spreadsheet_would_run_is_written_with_a_leading_quote_and_the_import_rule_says_the_same(string text)
    {
        Assert.True(CsvCells.CouldRunAsFormula(text));
        var cells = Write(w => w.WriteField(text));
        Assert.StartsWith("'", cells.Trim('"'), StringComparison.Ordinal);
        Assert.EndsWith(text.TrimStart('\t', '\r')[1..], cells.Trim('"'), StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_text_and_numbers_are_written_as_they_are_with_a_byte_order_mark()
    {
        Assert.False(CsvCells.CouldRunAsFormula("王者荣耀点卡 100"));
        Assert.False(CsvCells.CouldRunAsFormula(""));
        Assert.Equal("王者荣耀点卡 100,-5,12.50", Write(w =>
        {
            w.WriteField("王者荣耀点卡 100");
            w.WriteField(-5, default);
            w.WriteField(12.50m, "0.00");
        }));
    }

    [Theory]
    [InlineData("K1234567890ABCDEF", "****CDEF")]
    [InlineData("ABCD-EFGH-IJKL-MNOP", "****MNOP")]
    [InlineData("ABCDEFGHIJ", "****IJ")]
    [InlineData("ABCDEFG", "****")]
    public void A_mask_shows_at_most_the_last_four_characters(string code, string masked)
    {
        Assert.Equal(masked, CardKeyMask.Mask(code));
        var shown = CardKeyMask.Mask(code).Replace("*", "", StringComparison.Ordinal);
        Assert.True(shown.Length <= CardKeyMask.MaxShown);
    }

    /// <summary>One record written with the shop's options, without the byte-order mark and line end (which are checked).</summary>
    private static string Write(Action<CsvWriter> record)
    {
        using var buffer = new MemoryStream();
        using (var writer = CsvWriter.Create(buffer, CsvCells.Options, leaveOpen: true))
        {
            record(writer);
            writer.EndRecord();
        }
        var bytes = buffer.ToArray();
        Assert.True(bytes is [0xEF, 0xBB, 0xBF, ..], "no UTF-8 byte-order mark");
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        return text[..^2];
    }
}
