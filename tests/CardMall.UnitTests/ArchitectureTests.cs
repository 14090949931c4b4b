using System.Text;
using System.Text.RegularExpressions;

namespace CardMall.UnitTests;

/// <summary>
/// The house rules of the Application project that a reviewer would otherwise have to remember (issue 15, ADR 0030):
/// locks and SQL go through one door in Infrastructure, and a use case stays small enough to read in one sitting.
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>Where raw SQL is the design: PlaceOrder's key allocation and the dashboards' read models.</summary>
    private static readonly string[] SqlAllowed = ["Features/Orders/KeyAllocation.cs", "Features/Dashboards/"];

    private const int MaxFeatureLines = 200;

    /// <summary>
    /// Files that were already longer when the bound was set; each may shrink but not grow. Splitting one removes its line.
    /// </summary>
    private static readonly Dictionary<string, int> LongerToday = new()
    {
        ["Features/Assistant/IntentModel.cs"] = 232,
        ["Features/Risk/JoinIncidentOnTicketFiled.cs"] = 208,
    };

    [Fact]
    public void No_use_case_writes_SQL_or_takes_a_row_lock_by_hand_outside_key_allocation_and_the_dashboards()
    {
        var offenders = ApplicationSources()
            .Where(f => !SqlAllowed.Any(allowed => f.Path.StartsWith(allowed, StringComparison.Ordinal)))
            .SelectMany(f => CodeLines(f.Text).Select((line, i) => (f.Path, Line: i + 1, Text: line)))
            .Where(l => RawSql().IsMatch(l.Text))
            .Select(l => $"{l.Path}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0,
            "Take locks through db.Locks (IRowLocks) and query with LINQ; raw SQL belongs in Infrastructure:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void No_feature_file_outside_the_dashboards_grows_past_the_bound()
    {
        var tooLong = ApplicationSources()
            .Where(f => f.Path.StartsWith("Features/", StringComparison.Ordinal) && !f.Path.StartsWith("Features/Dashboards/", StringComparison.Ordinal))
            .Select(f => (f.Path, Lines: File.ReadAllLines(f.FullPath).Length))
            .Where(f => f.Lines > LongerToday.GetValueOrDefault(f.Path, MaxFeatureLines))
            .Select(f => $"{f.Path}: {f.Lines} lines (at most {LongerToday.GetValueOrDefault(f.Path, MaxFeatureLines)})")
            .ToList();

        Assert.True(tooLong.Count == 0, "Split the use case (one per file; behaviour belongs in the aggregate):\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void The_exceptions_to_the_length_bound_still_exist_and_still_need_it()
    {
        // Once a long file is split, its exception goes too, so that it cannot quietly grow back.
        var sources = ApplicationSources().ToDictionary(f => f.Path, f => File.ReadAllLines(f.FullPath).Length);
        foreach (var (path, _) in LongerToday)
            Assert.True(sources.TryGetValue(path, out var lines) && lines > MaxFeatureLines,
                $"{path} is gone or within {MaxFeatureLines} lines now: remove it from {nameof(LongerToday)}.");
    }

    [Fact]
    public void Every_page_model_is_named_after_its_page()
    {
        var pages = Path.Combine(RepositoryRoot(), "src", "CardMall.Web", "Pages");
        var misnamed = Directory.EnumerateFiles(pages, "*.cshtml.cs", SearchOption.AllDirectories)
            .Select(f => (File: Path.GetRelativePath(pages, f), Expected: Path.GetFileName(f)[..^".cshtml.cs".Length] + "Model", Text: File.ReadAllText(f)))
            .Where(p => !System.Text.RegularExpressions.Regex.IsMatch(p.Text, $@"\bclass {p.Expected}\b"))
            .Select(p => $"{p.File}: expected class {p.Expected}")
            .ToList();
        Assert.True(misnamed.Count == 0, string.Join("\n", misnamed));
    }

    [Fact]
    public void Comments_and_strings_are_told_apart()
    {
        var code = "var a = \"// not a comment\"; // FOR UPDATE\n/* FromSql\n */ var b = @\"x\"\"y\"; /// ExecuteSql\nvar c = '/';";

        var lines = CodeLines(code);

        Assert.Equal(["var a = \"// not a comment\"; ", "", " var b = @\"x\"\"y\"; ", "var c = '/';"], lines);
    }

    [GeneratedRegex(@"\bFromSql|\bExecuteSql|\bSqlQuery|FOR\s+UPDATE", RegexOptions.IgnoreCase)]
    private static partial Regex RawSql();

    private static List<(string Path, string FullPath, string Text)> ApplicationSources()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "CardMall.Application");
        return Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Select(full => (Path: Path.GetRelativePath(project, full).Replace('\\', '/'), FullPath: full))
            .Where(f => !f.Path.StartsWith("obj/", StringComparison.Ordinal) && !f.Path.StartsWith("bin/", StringComparison.Ordinal))
            .Select(f => (f.Path, f.FullPath, File.ReadAllText(f.FullPath)))
            .ToList();
    }

    /// <summary>
    /// The source's lines with comments blanked out (line numbers kept). Strings stay — SQL lives in them — and a
    /// "//" inside one is not a comment.
    /// </summary>
    private static string[] CodeLines(string source)
    {
        var code = new StringBuilder(source.Length);
        var i = 0;
        while (i < source.Length)
        {
            if (At(source, i, "//"))
            {
                while (i < source.Length && source[i] != '\n') i++;
            }
            else if (At(source, i, "/*"))
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                code.Append('\n', source[i..end].Count(ch => ch == '\n'));
                i = end;
            }
            else if (At(source, i, "\"\"\""))
            {
                var quotes = 3;
                while (i + quotes < source.Length && source[i + quotes] == '"') quotes++;
                var fence = new string('"', quotes);
                var end = source.IndexOf(fence, i + quotes, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + quotes;
                code.Append(source, i, end - i);
                i = end;
            }
            else if (source[i] == '"' || source[i] == '\'')
            {
                var verbatim = i > 0 && source[i - 1] == '@' || i > 1 && source[i - 2] == '@' && source[i - 1] == '$';
                var end = StringEnd(source, i, verbatim);
                code.Append(source, i, end - i);
                i = end;
            }
            else
            {
                code.Append(source[i]);
                i++;
            }
        }
        return code.ToString().Replace("\r", "").Split('\n');
    }

    private static int StringEnd(string source, int start, bool verbatim)
    {
        var quote = source[start];
        var i = start + 1;
        while (i < source.Length)
        {
            if (!verbatim && source[i] == '\\') i += 2;
            else if (verbatim && source[i] == '"' && i + 1 < source.Length && source[i + 1] == '"') i += 2;
            else if (source[i] == quote) return i + 1;
            else if (!verbatim && source[i] == '\n') return i;
            else i++;
        }
        return source.Length;
    }

    private static bool At(string source, int i, string token) => string.CompareOrdinal(source, i, token, 0, token.Length) == 0;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CardMall.sln"))) return dir.FullName;
        throw new InvalidOperationException($"CardMall.sln was not found above {AppContext.BaseDirectory}.");
    }
}
