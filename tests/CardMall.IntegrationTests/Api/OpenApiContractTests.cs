using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Api;

/// <summary>
/// <c>/openapi/v1.json</c> is a contract a reseller can generate a client from (docs/decisions/0027): every operation
/// named, summarised, secured, and every response of ../shared/docs/api.md typed — successes with their schema,
/// failures as problem+json with the contract's codes — and it passes <c>redocly lint</c> without a warning.
/// </summary>
public sealed class OpenApiContractTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private ShopFactory App => shop.Factory;

    private async Task<JsonElement> DocumentAsync() => await App.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

    private static IEnumerable<(string Route, string OperationId, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        select ($"{operation.Name.ToUpperInvariant()} {path.Name}",
            operation.Value.TryGetProperty("operationId", out var id) ? id.GetString() ?? "" : "", operation.Value);

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_a_described_tag_security_and_a_schema_for_each_response()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();
        var tags = document.GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.TryGetProperty("description", out var d) ? d.GetString() : null);
        var schemes = document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(s => s.Name).ToHashSet();
        var wrong = new List<string>();

        Assert.True(operations.Count >= 28, $"only {operations.Count} operations");
        foreach (var (route, id, operation) in operations)
        {
            if (id.Length == 0) wrong.Add($"{route}: no operationId");
            if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString())) wrong.Add($"{route}: no summary");
            if (!operation.TryGetProperty("tags", out var opTags) || opTags.GetArrayLength() == 0) wrong.Add($"{route}: no tag");
            else
            {
                foreach (var tag in opTags.EnumerateArray().Select(t => t.GetString()!))
                    if (string.IsNullOrWhiteSpace(tags.GetValueOrDefault(tag))) wrong.Add($"{route}: tag {tag} is not described");
            }
            if (!operation.TryGetProperty("security", out var security) || security.GetArrayLength() == 0
                || security.EnumerateArray().SelectMany(s => s.EnumerateObject()).Any(s => !schemes.Contains(s.Name)))
                wrong.Add($"{route}: no security requirement naming a defined scheme");

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            if (!responses.Any(r => r.Name.StartsWith('2'))) wrong.Add($"{route}: no success response");
            if (!responses.Any(r => r.Name.StartsWith('4'))) wrong.Add($"{route}: no 4xx response");
            foreach (var response in responses)
            {
                // The webhook's 202 is the one answer without a body (the supplier learns nothing from it).
                if (response.Name == "202" && route.Contains("/webhooks/", StringComparison.Ordinal)) continue;
                if (!response.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _)))
                {
                    wrong.Add($"{route} {response.Name}: no schema");
                    continue;
                }
                // The one 4xx that is not a problem: "rebuild the rollups" while another node is rebuilding them.
                var rollupsRunning = response.Name == "409" && route.EndsWith("/rollups", StringComparison.Ordinal);
                if (response.Name.StartsWith('4') && !rollupsRunning)
                {
                    var problem = content.TryGetProperty("application/problem+json", out var p) ? p.GetProperty("schema").GetProperty("$ref").GetString() : null;
                    if (problem != "#/components/schemas/Problem") wrong.Add($"{route} {response.Name}: not a problem+json Problem");
                }
            }
        }
        Assert.Equal(operations.Count, operations.Select(o => o.OperationId).Distinct().Count());
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task Every_api_key_operation_says_how_to_authenticate_and_answers_401_and_429_with_retry_after()
    {
        var document = await DocumentAsync();
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());

        foreach (var (route, _, operation) in Operations(document).Where(o => o.Route.Contains("/api/v1/", StringComparison.Ordinal) && !o.Route.Contains("/webhooks/", StringComparison.Ordinal)))
        {
            var scheme = operation.GetProperty("security")[0].EnumerateObject().Single().Name;
            Assert.True(scheme == "ApiKey", $"{route}: {scheme}");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out var unauthorized) && unauthorized.GetProperty("description").GetString()!.Contains("`unauthorized`", StringComparison.Ordinal), route);
            Assert.True(responses.TryGetProperty("429", out var limited) && limited.GetProperty("headers").TryGetProperty("Retry-After", out _), route);
            if (route.Contains("/api/v1/admin/", StringComparison.Ordinal))
                Assert.True(responses.TryGetProperty("403", out _), $"{route}: an operator endpoint without 403");
        }
    }

    /// <summary>The statuses ../shared/docs/api.md names for each operation, each of them in the document.</summary>
    [Theory]
    [InlineData("PlaceOrder", "201 200 400 401 402 409 422 429")]
    [InlineData("GetOrder", "200 404")]
    [InlineData("ListOrders", "200")]
    [InlineData("GetMe", "200 401")]
    [InlineData("ListProducts", "200")]
    [InlineData("GetProduct", "200 404")]
    [InlineData("GetWallet", "200")]
    [InlineData("GetWalletLedger", "200")]
    [InlineData("FileTicket", "201 400 404 409")]
    [InlineData("GetTicket", "200 404")]
    [InlineData("ReplyToTicket", "201 404")]
    [InlineData("UrgeTicket", "200 429")]
    [InlineData("RateTicket", "200 409")]
    [InlineData("AskAssistant", "200")]
    [InlineData("CreateProduct", "201 400 403")]
    [InlineData("ImportBatch", "201 400")]
    [InlineData("CreateUser", "201 403")]
    [InlineData("AdjustWallet", "200 202")]
    [InlineData("ApproveWalletAdjustment", "200 403")]
    [InlineData("DisableUser", "200 403")]
    [InlineData("CreateSupplier", "201")]
    [InlineData("SetSandboxSupplierAnswer", "200 404")]
    [InlineData("ReportActivation", "202 401")]
    public async Task The_document_lists_the_statuses_the_contract_names(string operationId, string statuses)
    {
        var operation = Operations(await DocumentAsync()).Single(o => o.OperationId == operationId).Operation;
        var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();

        Assert.Empty(statuses.Split(' ').Except(documented));
    }

    [Fact]
    public async Task Placing_an_order_documents_the_required_idempotency_key_and_the_contract_codes()
    {
        var order = Operations(await DocumentAsync()).Single(o => o.OperationId == "PlaceOrder").Operation;

        var header = order.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal("header", header.GetProperty("in").GetString());
        Assert.True(header.GetProperty("required").GetBoolean());
        Assert.Equal(64, header.GetProperty("schema").GetProperty("maxLength").GetInt32());
        var responses = order.GetProperty("responses");
        foreach (var (status, code) in new[] { ("400", "validation_failed"), ("402", "insufficient_balance"), ("409", "out_of_stock"), ("422", "idempotency_key_reused") })
            Assert.Contains($"`{code}`", responses.GetProperty(status).GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("#/components/schemas/Order", responses.GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Money_is_a_number_and_ticket_values_are_the_contracts_snake_case_names()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        var total = schemas.GetProperty("Order").GetProperty("properties").GetProperty("total");
        Assert.Equal("number", total.GetProperty("type").GetString());
        Assert.Equal(["key_invalid", "key_already_used", "activation_failed", "wrong_region", "not_received", "account_abnormal", "refund_request", "other"],
            schemas.GetProperty("TicketCategory").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(["new", "open", "waiting_on_buyer", "waiting_on_supplier", "resolved", "closed"],
            schemas.GetProperty("TicketStatus").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray());
        var problem = schemas.GetProperty("Problem");
        Assert.Equal(["type", "title", "status", "detail", "code", "traceId"], problem.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task Redocly_lint_with_its_recommended_rules_finds_no_error_and_no_warning()
    {
        var redocly = Redocly.Find();
        var file = Path.Combine(Path.GetTempPath(), $"cardmall-openapi-{Guid.NewGuid():N}.json");
        // As a reseller fetches it from the shop's host name (the document names the host it is served from as its server).
        var reseller = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://shop.cardmall.test") });
        await File.WriteAllTextAsync(file, await reseller.GetStringAsync("/openapi/v1.json"));
        try
        {
            var (exit, output) = await Redocly.LintAsync(redocly, file);

            // "… valid. 🎉" alone; with problems it counts them ("You have 3 warnings.", "failed with 1 error and 2 warnings.").
            Assert.True(exit == 0 && output.Contains("description is valid", StringComparison.Ordinal)
                && !System.Text.RegularExpressions.Regex.IsMatch(output, @"\d+ (errors?|warnings?)\b"), $"redocly lint exited {exit}:\n{output}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_api_reference_page_loads_scalar_from_the_shop_with_no_inline_script()
    {
        var client = App.CreateClient();

        var page = await client.GetAsync("/api/docs");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        var parsed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var scripts = parsed.QuerySelectorAll("script");
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.True(s.HasAttribute("src") && string.IsNullOrWhiteSpace(s.TextContent), s.OuterHtml));
        Assert.Empty(parsed.QuerySelectorAll("style, [style]"));
        foreach (var src in scripts.Select(s => s.GetAttribute("src")!))
        {
            Assert.StartsWith("/", src, StringComparison.Ordinal);
            var script = await client.GetAsync(src);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
        var viewer = await client.GetStringAsync("/api/docs/scalar.js");
        Assert.True(viewer.Length > 100_000, "the Scalar viewer is missing from the package");
        Assert.Contains("createApiReference", viewer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_generated_from_the_document_places_an_order_and_reads_it_back()
    {
        var kit = new TestShop(App);
        var (sku, codes) = await kit.ProductWithKeysAsync(3, price: 9.50m);
        var reseller = await kit.BuyerAsync(100.00m, ShopRoles.Reseller, MemberTier.Reseller);
        var client = await GeneratedClient.CreateAsync(await App.CreateClient().GetStringAsync("/openapi/v1.json"), App.ApiClient(reseller.ApiKey));

        var placed = await client.CallAsync("PlaceOrderAsync", "order-" + Guid.NewGuid(), client.New("PlaceOrderBody", new { Sku = sku, Quantity = 2, AcceptNotices = true }));
        var read = await client.CallAsync("GetOrderAsync", (string)placed.OrderNo);

        Assert.Equal((string)placed.OrderNo, (string)read.OrderNo);
        Assert.Equal(19.00m, (decimal)read.Total);
        Assert.Equal("Delivered", read.Status.ToString());
        var keys = ((IEnumerable<dynamic>)read.Items).Select(i => (string)i.Code).ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.Contains(k, codes));

        // A failure reaches the generated client as its typed problem: the contract's code, not a parse error.
        var problem = await client.ProblemAsync("PlaceOrderAsync", "order-" + Guid.NewGuid(), client.New("PlaceOrderBody", new { Sku = sku, Quantity = 2, AcceptNotices = true }));
        Assert.Equal(409, (int)problem.Status);
        Assert.Equal("out_of_stock", (string)problem.Code);
    }
}

/// <summary>The redocly CLI (npm <c>@redocly/cli</c>), installed by scripts/lib/redocly.sh into .data/tools/redocly.</summary>
internal static class Redocly
{
    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("CARDMALL_REDOCLY");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"CARDMALL_REDOCLY={configured} does not exist.");
        var installed = Path.Combine(RepositoryRoot(), ".data", "tools", "redocly", "node_modules", ".bin", "redocly");
        return File.Exists(installed) ? installed
            : throw new InvalidOperationException("redocly is not installed: run scripts/lint-openapi.sh once (or ./scripts/test.sh, which installs it). The lint is never skipped.");
    }

    public static async Task<(int Exit, string Output)> LintAsync(string redocly, string file)
    {
        var start = new ProcessStartInfo(redocly) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("lint");
        start.ArgumentList.Add(file);
        // Offline: no telemetry, no update check (nothing beyond loopback exists here).
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CardMall.sln"))) return dir.FullName;
        throw new InvalidOperationException($"CardMall.sln was not found above {AppContext.BaseDirectory}.");
    }
}
