using System.Globalization;
using System.Net;
using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.CardKeys;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.Wallet;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests;

/// <summary>
/// The operator's stock pages through real form posts: products and suppliers, importing a batch
/// (pasted or uploaded), freezing and releasing it, wallet adjustments, who may do any of it, and
/// re-encrypting keys after a master-key rotation.
/// </summary>
public sealed class AdminStockPagesTests(AdminStockPagesTests.Fixture shop) : IClassFixture<AdminStockPagesTests.Fixture>
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task An_operator_creates_a_product_and_a_supplier_on_the_pages()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var web = await SignedInAsync(op);
        var sku = NewSku();

        var created = await SubmitAsync(web, "/Admin/Products/New", "form[data-testid=product-form]", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku.ToLowerInvariant(),
            ["Input.Category"] = "game-cards",
            ["Input.Name"] = "测试点卡 60 元",
            ["Input.NameEn"] = "Test card 60",
            ["Input.Description"] = "中文描述",
            ["Input.DescriptionEn"] = "English description",
            ["Input.FaceValue"] = "60",
            ["Input.Price"] = "58.50",
            ["Input.VipPrice"] = "57",
            ["Input.ResellerPrice"] = "",
            ["Input.MinPerOrder"] = "1",
            ["Input.MaxPerOrder"] = "5",
            ["Input.MaxPerBuyerPerDay"] = "20",
            ["Input.ValidityDays"] = "180",
            ["Input.DeviceLimit"] = "2",
            ["Input.Regions"] = "中国大陆",
        });
        var list = await web.FollowAsync(created);
        Assert.Contains(sku, list.Document.QuerySelector("[data-testid=product-created]")?.TextContent ?? "", StringComparison.Ordinal);
        var row = list.Document.QuerySelector($"tr[data-sku='{sku}']") ?? throw new InvalidOperationException("The new product is not listed.");
        Assert.Contains("测试点卡 60 元", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Test card 60", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("¥58.50", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("v1", row.QuerySelector("[data-testid=notices-version]")?.TextContent.Trim());
        Assert.Equal("缺货", row.QuerySelector("[data-testid=stock-level]")?.TextContent.Trim());

        // A refused form comes back with the use case's message under the field.
        var refused = await SubmitAsync(web, "/Admin/Products/New", "form[data-testid=product-form]", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku,
            ["Input.Category"] = "game-cards",
            ["Input.Name"] = "重复",
            ["Input.NameEn"] = "Duplicate",
            ["Input.FaceValue"] = "1",
            ["Input.Price"] = "1",
            ["Input.MinPerOrder"] = "1",
            ["Input.MaxPerOrder"] = "10",
            ["Input.ValidityDays"] = "30",
            ["Input.DeviceLimit"] = "1",
            ["Input.Regions"] = "中国大陆",
        });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal([AppText.Get("Catalog.SkuTaken", Chinese)], refused.FieldErrors("Input.Sku"));

        var secret = "whsec-" + Guid.NewGuid().ToString("N");
        var code = "sup-" + Guid.NewGuid().ToString("N")[..8];
        var supplierSaved = await SubmitAsync(web, "/Admin/Suppliers", "form[data-testid=supplier-form]", new Dictionary<string, string>
        {
            ["Input.Code"] = code,
            ["Input.Name"] = "星辰卡业",
            ["Input.WebhookSecret"] = secret,
        });
        var suppliers = await web.FollowAsync(supplierSaved);
        Assert.NotNull(suppliers.Document.QuerySelector($"tr[data-code='{code}']"));
        Assert.DoesNotContain(secret, suppliers.Html, StringComparison.Ordinal);

        // A supplier code taken: the form comes back, and the secret typed is not written back into it.
        var again = await SubmitAsync(web, "/Admin/Suppliers", "form[data-testid=supplier-form]", new Dictionary<string, string>
        {
            ["Input.Code"] = code,
            ["Input.Name"] = "星辰卡业",
            ["Input.WebhookSecret"] = secret,
        });
        Assert.Equal([AppText.Get("CardKeys.SupplierCodeTaken", Chinese)], again.FieldErrors("Input.Code"));
        Assert.DoesNotContain(secret, again.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pasted_batch_reports_both_kinds_of_duplicate_and_the_stock_page_counts_the_rest()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var (sku, supplier) = await ProductAndSupplierAsync(op);
        var stored = "STORED-" + Guid.NewGuid().ToString("N")[..12];
        await SendAsync(App, Operator(op), new ImportBatch(sku, supplier, 1m, null, [stored]));

        var a = Code("A");
        var b = Code("B");
        var c = Code("C");
        using var web = await SignedInAsync(op);
        var result = await SubmitAsync(web, "/Admin/Batches/Import", "form[data-testid=import-form]", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku,
            ["Input.SupplierCode"] = supplier,
            ["Input.UnitCost"] = "9.90",
            ["Input.ExpiresAt"] = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Input.Lines"] = $"{a}\r\n{b},secret-b\r\n{a}\r\n{stored}\r\n\r\n{c}----secret-c\r\n",
        });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("3", result.Document.QuerySelector("[data-testid=imported-count]")?.TextContent.Trim());
        var rejected = result.Document.QuerySelectorAll("[data-testid=rejected-lines] tbody tr")
            .Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray())
            .ToList();
        Assert.Equal(2, rejected.Count);
        Assert.Equal(string.Format(Chinese, AppText.Get("CardKeys.RejectDuplicateInBatch", Chinese), 1), rejected[0][1]);
        Assert.Equal(["4", AppText.Get("CardKeys.RejectAlreadyStored", Chinese)], rejected[1]);
        // The result names lines, never the codes; the textarea is emptied once the batch is in.
        foreach (var code in new[] { a, b, c, stored })
            Assert.DoesNotContain(code, result.Html, StringComparison.Ordinal);

        var stock = await web.GetAsync("/Admin/Stock");
        Assert.Equal(4, Count(stock, sku, "Available"));
        Assert.Equal("少量", stock.Document.QuerySelector($"tr[data-sku='{sku}'] [data-testid=stock-level]")?.TextContent.Trim());

        var batches = await web.GetAsync($"/Admin/Batches?sku={sku}");
        var rows = batches.Document.QuerySelectorAll("[data-testid=batches] tbody tr").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("3", rows[0].QuerySelector("td[data-state=Available]")?.TextContent.Trim());
        Assert.Contains("¥9.90", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains(op.Email, rows[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pasted_batch_with_an_error_keeps_what_the_operator_typed()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var (sku, supplier) = await ProductAndSupplierAsync(op);
        var typed = Code("KEEP");
        using var web = await SignedInAsync(op);

        var refused = await SubmitAsync(web, "/Admin/Batches/Import", "form[data-testid=import-form]", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku,
            ["Input.SupplierCode"] = supplier,
            ["Input.UnitCost"] = "-1",
            ["Input.Lines"] = typed,
        });

        Assert.Equal([AppText.Get("CardKeys.UnitCostInvalid", Chinese)], refused.FieldErrors("Input.UnitCost"));
        Assert.Equal(typed, refused.Document.QuerySelector("textarea[name='Input.Lines']")?.TextContent.Trim());
        Assert.Null(refused.Document.QuerySelector("[data-testid=import-result]"));
        Assert.Equal(0, Count(await web.GetAsync("/Admin/Stock"), sku, "Available"));
    }

    [Fact]
    public async Task A_paste_of_several_megabytes_reaches_the_import_instead_of_failing_at_the_form_limit()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var (sku, supplier) = await ProductAndSupplierAsync(op);
        using var web = await SignedInAsync(op);
        // More lines than one batch may hold, ~5 MB: beyond ASP.NET Core's default 4 MB per form value.
        var lines = string.Join("\n", Enumerable.Range(0, ImportBatchValidator.MaxLines + 10_000).Select(i => $"BIG-{i:D8}-XXXXXXXX"));

        var refused = await SubmitAsync(web, "/Admin/Batches/Import", "form[data-testid=import-form]", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku,
            ["Input.SupplierCode"] = supplier,
            ["Input.UnitCost"] = "1",
            ["Input.Lines"] = lines,
        });

        // The use case read every line and answered (too many lines), rather than the form reader refusing the post.
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal([AppText.Get("CardKeys.TooManyLines", Chinese)], refused.FieldErrors("Input.Lines"));
    }

    [Fact]
    public async Task An_uploaded_csv_file_with_a_header_imports()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var (sku, supplier) = await ProductAndSupplierAsync(op);
        var codes = Enumerable.Range(0, 3).Select(i => Code("CSV" + i)).ToList();
        // As Excel saves it: a byte-order mark, a header line, CRLF.
        var csv = "code,secret\r\n" + string.Join("\r\n", codes.Select((c, i) => $"\"{c}\",\"pw-{i}\"")) + "\r\n";
        using var web = await SignedInAsync(op);

        var result = await UploadAsync(web, sku, supplier, "keys.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("3", result.Document.QuerySelector("[data-testid=imported-count]")?.TextContent.Trim());
        Assert.Equal("0", result.Document.QuerySelector("[data-testid=rejected-count]")?.TextContent.Trim());
        Assert.Equal(3, Count(await web.GetAsync("/Admin/Stock"), sku, "Available"));

        // The secrets went in with their codes, encrypted.
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var vault = scope.ServiceProvider.GetRequiredService<ICardKeyVault>();
        var keys = await db.CardKeys.Where(k => db.Products.Any(p => p.Id == k.ProductId && p.Sku == sku)).ToListAsync();
        Assert.Equal(codes.Select((c, i) => (c, (string?)$"pw-{i}")).OrderBy(x => x.c),
            keys.Select(vault.Open).Select(o => (o.Code, o.Secret)).OrderBy(x => x.Code));
    }

    [Fact]
    public async Task An_upload_that_is_not_utf8_text_is_refused()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var (sku, supplier) = await ProductAndSupplierAsync(op);
        using var web = await SignedInAsync(op);

        // "卡号" in GBK, as an older Chinese Excel would save it.
        var result = await UploadAsync(web, sku, supplier, "keys.txt", [0xBF, 0xA8, 0xBA, 0xC5, 0x0D, 0x0A, 0x41, 0x42, 0x43, 0x44, 0x35]);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Single(result.FieldErrors("Input.File"));
        Assert.Null(result.Document.QuerySelector("[data-testid=import-result]"));
        Assert.Equal(0, Count(await web.GetAsync("/Admin/Stock"), sku, "Available"));
    }

    [Fact]
    public async Task Freezing_a_batch_takes_its_keys_off_sale_with_events_and_unfreezing_restores_them()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var (sku, supplier) = await ProductAndSupplierAsync(op);
        var imported = await SendAsync(App, Operator(op), new ImportBatch(sku, supplier, 2m, null, [Code("F1"), Code("F2"), Code("F3")]));
        using var web = await SignedInAsync(op);
        var batchesUrl = $"/Admin/Batches?sku={sku}";
        var freezeForm = $"tr[data-batch='{imported.BatchId}'] form[data-testid=freeze-form]";

        // No reason, no freeze: the error shows at that batch's form.
        var noReason = await SubmitAsync(web, batchesUrl, freezeForm, new Dictionary<string, string> { ["Input.Reason"] = " " });
        Assert.Equal(HttpStatusCode.OK, noReason.Status);
        Assert.Equal([AppText.Get("Admin.Batches.ReasonRequired", Chinese)], noReason.FieldErrors("Input.Reason"));
        Assert.Equal(3, Count(await web.GetAsync("/Admin/Stock"), sku, "Available"));

        var frozen = await web.FollowAsync(await SubmitAsync(web, batchesUrl, freezeForm, new Dictionary<string, string> { ["Input.Reason"] = "供应商通报批次异常" }));
        Assert.Contains("3", frozen.Document.QuerySelector("[data-testid=batch-frozen]")?.TextContent ?? "", StringComparison.Ordinal);
        var row = frozen.Document.QuerySelector($"tr[data-batch='{imported.BatchId}']")!;
        Assert.NotNull(row.QuerySelector("[data-testid=frozen-badge]"));
        Assert.Equal("3", row.QuerySelector("td[data-state=Frozen]")?.TextContent.Trim());

        var stock = await web.GetAsync("/Admin/Stock");
        Assert.Equal(0, Count(stock, sku, "Available"));
        Assert.Equal(3, Count(stock, sku, "Frozen"));
        Assert.Equal("缺货", stock.Document.QuerySelector($"tr[data-sku='{sku}'] [data-testid=stock-level]")?.TextContent.Trim());
        Assert.Equal(0, (await SendAsync(App, Operator(op), new GetProduct(sku))).Stock);

        var events = await EventsAsync(imported.BatchId);
        Assert.Equal(3, events.Count(e => e.Kind == CardKeyEventKind.Frozen && e.ActorUserId == op.UserId && e.Detail == "供应商通报批次异常"));
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
            Assert.All(await db.CardKeys.Where(k => k.BatchId == imported.BatchId).ToListAsync(),
                k => Assert.Equal((CardKeyState.Frozen, (CardKeyState?)CardKeyState.Available), (k.State, k.StateBeforeFreeze)));
        }

        // Freezing twice is refused with a message, not an error page.
        var twice = await Assert.ThrowsAsync<DomainRuleException>(() => SendAsync(App, Operator(op), new FreezeBatch(imported.BatchId, "again")));
        Assert.Equal(ErrorCodes.InvalidState, twice.Code);

        var unfreezeForm = $"tr[data-batch='{imported.BatchId}'] form[data-testid=unfreeze-form]";
        var released = await web.FollowAsync(await SubmitAsync(web, batchesUrl, unfreezeForm, new Dictionary<string, string> { ["Input.Reason"] = "供应商确认无误" }));
        Assert.NotNull(released.Document.QuerySelector("[data-testid=batch-unfrozen]"));
        Assert.Null(released.Document.QuerySelector($"tr[data-batch='{imported.BatchId}'] [data-testid=frozen-badge]"));

        stock = await web.GetAsync("/Admin/Stock");
        Assert.Equal(3, Count(stock, sku, "Available"));
        Assert.Equal(0, Count(stock, sku, "Frozen"));
        Assert.Equal("少量", stock.Document.QuerySelector($"tr[data-sku='{sku}'] [data-testid=stock-level]")?.TextContent.Trim());
        events = await EventsAsync(imported.BatchId);
        Assert.Equal(3, events.Count(e => e.Kind == CardKeyEventKind.Unfrozen && e.ActorUserId == op.UserId && e.Detail == "供应商确认无误"));
    }

    [Fact]
    public async Task A_wallet_adjustment_appears_in_the_ledger_with_the_operator_and_the_reason()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(op);
        var url = "/Admin/Wallets?email=" + Uri.EscapeDataString(buyer.Email.ToUpperInvariant());

        var found = await web.GetAsync(url);
        Assert.Equal("¥0.00", found.Document.QuerySelector("[data-testid=wallet-balance]")?.TextContent.Trim());

        var adjusted = await web.FollowAsync(await SubmitAsync(web, url, "form[data-testid=wallet-adjust-form]", new Dictionary<string, string>
        {
            ["Input.Amount"] = "25.50",
            ["Input.Reason"] = "补偿：发货延迟",
        }));
        Assert.NotNull(adjusted.Document.QuerySelector("[data-testid=wallet-adjusted]"));
        Assert.Equal("¥25.50", adjusted.Document.QuerySelector("[data-testid=wallet-balance]")?.TextContent.Trim());
        var line = adjusted.Document.QuerySelector("[data-testid=ledger] tbody tr")!;
        Assert.Equal("补偿：发货延迟", line.QuerySelector("[data-testid=ledger-note]")?.TextContent.Trim());
        Assert.Equal(op.Email, line.QuerySelector("[data-testid=ledger-posted-by]")?.TextContent.Trim());
        Assert.Contains("+¥25.50", line.TextContent, StringComparison.Ordinal);

        // More than the balance cannot be taken away; the form says why and nothing moves.
        var refused = await SubmitAsync(web, url, "form[data-testid=wallet-adjust-form]", new Dictionary<string, string>
        {
            ["Input.Amount"] = "-30",
            ["Input.Reason"] = "撤销",
        });
        Assert.Equal([AppText.Get("Wallet.WouldGoNegative", Chinese)], refused.FieldErrors("Input.Amount"));
        Assert.Equal("¥25.50", refused.Document.QuerySelector("[data-testid=wallet-balance]")?.TextContent.Trim());

        // A reason is required.
        var noReason = await SubmitAsync(web, url, "form[data-testid=wallet-adjust-form]", new Dictionary<string, string> { ["Input.Amount"] = "5", ["Input.Reason"] = "" });
        Assert.Single(noReason.FieldErrors("Input.Reason"));

        var unknown = await web.GetAsync("/Admin/Wallets?email=nobody-" + Guid.NewGuid().ToString("N") + "@example.test");
        Assert.Equal([AppText.Get("Admin.Wallets.AccountNotFound", Chinese)], unknown.FieldErrors("Input.Email"));

        var account = await SendAsync(App, Operator(op), new FindWalletAccount(buyer.Email));
        Assert.Equal(25.50m, account.Balance);
        Assert.Single(account.Lines);
    }

    [Fact]
    public async Task Buyers_and_agents_are_refused_the_operator_pages_and_use_cases()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var (sku, supplier) = await ProductAndSupplierAsync(op);
        var imported = await SendAsync(App, Operator(op), new ImportBatch(sku, supplier, 1m, null, [Code("R")]));
        var buyer = await TestAccounts.CreateAsync(App);
        var agent = await TestAccounts.CreateAsync(App, ShopRoles.Agent);
        string[] operatorPages = ["/Admin/Products", "/Admin/Products/New", "/Admin/Suppliers", "/Admin/Batches", "/Admin/Batches/Import", "/Admin/Wallets"];

        foreach (var who in new[] { buyer, agent })
        {
            using var web = await SignedInAsync(who);
            foreach (var url in operatorPages)
            {
                var page = await web.GetAsync(url);
                Assert.True(page.Status == HttpStatusCode.Redirect && page.Location!.Contains("/Account/AccessDenied", StringComparison.Ordinal),
                    $"{who.Email} got {(int)page.Status} {page.Location} for {url}");
                Assert.Equal(HttpStatusCode.Forbidden, (await web.FollowAsync(page)).Status);
            }
            // A hand-made post does not get past the door either.
            var post = await web.Client.PostAsync("/Admin/Batches?handler=Freeze", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.BatchId"] = imported.BatchId.ToString(),
                ["Input.Reason"] = "x",
            }));
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        }

        // The agent reads stock (and sees no operator entries in the menu); the buyer does not.
        using (var agentWeb = await SignedInAsync(agent))
        {
            var stock = await agentWeb.GetAsync("/Admin/Stock");
            Assert.Equal(HttpStatusCode.OK, stock.Status);
            Assert.Equal(1, Count(stock, sku, "Available"));
            Assert.Null(stock.Document.QuerySelector("[data-testid=reencrypt]"));
            Assert.Null(stock.Document.QuerySelector("a[href='/Admin/Batches']"));
        }
        using (var buyerWeb = await SignedInAsync(buyer))
            Assert.Equal(HttpStatusCode.Redirect, (await buyerWeb.GetAsync("/Admin/Stock")).Status);

        // The use cases check roles themselves, whichever door a request comes through.
        var asAgent = new TestUser(agent.UserId, ShopRoles.Agent);
        var asBuyer = new TestUser(buyer.UserId, ShopRoles.Buyer);
        var asOperator = Operator(op);
        await AssertForbiddenAsync(asAgent, new FreezeBatch(imported.BatchId, "x"));
        await AssertForbiddenAsync(asAgent, new UnfreezeBatch(imported.BatchId, "x"));
        await AssertForbiddenAsync(asAgent, new ImportBatch(sku, supplier, 1m, null, [Code("X")]));
        await AssertForbiddenAsync(asAgent, new ListBatches());
        await AssertForbiddenAsync(asAgent, new ListSuppliers());
        await AssertForbiddenAsync(asAgent, new ListProductsForStaff());
        await AssertForbiddenAsync(asAgent, new FindWalletAccount(buyer.Email));
        await AssertForbiddenAsync(asAgent, new AdjustWallet(buyer.UserId, 10m, "x"));
        await AssertForbiddenAsync(asBuyer, new GetStockOverview());
        await AssertForbiddenAsync(asOperator, new ReencryptCardKeys());
        Assert.Equal(1, (await SendAsync(App, asAgent, new GetStockOverview())).Products.Single(p => p.Sku == sku).Counts.Available);

        using var check = App.Services.CreateScope();
        var db = check.ServiceProvider.GetRequiredService<CardMallDbContext>();
        Assert.False(await db.KeyBatches.Where(b => b.Id == imported.BatchId).Select(b => b.IsFrozen).SingleAsync());
        Assert.False(await db.LedgerEntries.AnyAsync(e => e.UserId == buyer.UserId));
    }

    [Fact]
    public async Task Re_encryption_moves_old_keys_to_the_new_master_key_and_they_still_open_to_the_same_codes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var codes = Enumerable.Range(0, 3).Select(i => Code("ROT" + i)).ToList();
        Guid batchId;
        await using (var before = new ShopFactory(database.ConnectionString) { Configure = TestActor.Register })
        {
            var op = await TestAccounts.CreateAsync(before, ShopRoles.Operator);
            var (sku, supplier) = await ProductAndSupplierAsync(before, op);
            batchId = (await SendAsync(before, Operator(op), new ImportBatch(sku, supplier, 1m, null, codes.Select((c, i) => $"{c},secret-{i}").ToList()))).BatchId;
        }

        var rotated = new ShopFactory(database.ConnectionString) { Configure = TestActor.Register };
        rotated.Settings["CardMall:CardKeys:MasterKeys:2"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        rotated.Settings["CardMall:CardKeys:CurrentVersion"] = "2";
        await using (rotated)
        {
            var admin = await TestAccounts.CreateAsync(rotated, ShopRoles.Admin);
            var first = await SendAsync(rotated, new TestUser(admin.UserId, ShopRoles.Admin), new ReencryptCardKeys(1));
            Assert.Equal((1, 2, 2), (first.Reencrypted, first.Remaining, first.CurrentVersion));

            // The rest through the admin's button on the stock page.
            using var web = await SignedInAsync(rotated, admin);
            var stock = await web.GetAsync("/Admin/Stock");
            Assert.StartsWith("2 ", stock.Document.QuerySelector("[data-testid=older-keys]")?.TextContent.Trim() ?? "", StringComparison.Ordinal);
            var after = await web.FollowAsync(await SubmitAsync(web, "/Admin/Stock", "form[action*='handler=Reencrypt']", new Dictionary<string, string>()));
            Assert.NotNull(after.Document.QuerySelector("[data-testid=reencrypted]"));
            Assert.Null(after.Document.QuerySelector("[data-testid=older-keys]"));

            using var scope = rotated.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
            var vault = scope.ServiceProvider.GetRequiredService<ICardKeyVault>();
            var keys = await db.CardKeys.Where(k => k.BatchId == batchId).ToListAsync();
            Assert.All(keys, k => Assert.Equal(2, k.KeyVersion));
            Assert.Equal(codes.Select((c, i) => (c, (string?)$"secret-{i}")).OrderBy(x => x.c),
                keys.Select(vault.Open).Select(o => (o.Code, o.Secret)).OrderBy(x => x.Code));
            var reencrypted = await db.CardKeyEvents.Where(e => e.Kind == CardKeyEventKind.Reencrypted && e.ActorUserId == admin.UserId).CountAsync();
            Assert.Equal(3, reencrypted);
            Assert.Equal(0, (await SendAsync(rotated, new TestUser(admin.UserId, ShopRoles.Admin), new ReencryptCardKeys())).Reencrypted);
        }
    }

    private async Task AssertForbiddenAsync<T>(ICurrentUser user, IRequest<T> request)
    {
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => SendAsync(App, user, request));
        Assert.Equal(ErrorCodes.Forbidden, refused.Code);
    }

    private async Task<WebSession> SignedInAsync(TestAccount account) => await SignedInAsync(App, account);

    private static async Task<WebSession> SignedInAsync(ShopFactory app, TestAccount account)
    {
        var web = new WebSession(app, "zh-CN");
        var signedIn = await web.SignInAsync(account.Email, account.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        return web;
    }

    private Task<(string Sku, string Supplier)> ProductAndSupplierAsync(TestAccount op) => ProductAndSupplierAsync(App, op);

    private static async Task<(string Sku, string Supplier)> ProductAndSupplierAsync(ShopFactory app, TestAccount op)
    {
        var sku = NewSku();
        var supplier = "sup-" + Guid.NewGuid().ToString("N")[..10];
        await SendAsync(app, Operator(op), new CreateProduct(sku, "测试卡 " + sku, "Test card " + sku, "game-cards", 10m, 9.5m, null, null, 365, 1, "中国大陆", 10));
        await SendAsync(app, Operator(op), new CreateSupplier(supplier, "测试供应商", "whsec-" + Guid.NewGuid().ToString("N")));
        return (sku, supplier);
    }

    private async Task<List<CardKeyEvent>> EventsAsync(Guid batchId)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await db.CardKeyEvents.Where(e => db.CardKeys.Any(k => k.Id == e.CardKeyId && k.BatchId == batchId)).ToListAsync();
    }

    /// <summary>
    /// Fills a form and submits it like a browser: every hidden field is sent, repeated names included
    /// (number inputs add one "__Invariant" field each, which WebSession.SubmitAsync cannot hold).
    /// </summary>
    private static async Task<WebSession.Page> SubmitAsync(WebSession web, string url, string formSelector, Dictionary<string, string> fields)
    {
        var page = await web.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var form = page.Document.QuerySelector(formSelector) ?? throw new InvalidOperationException($"No form {formSelector} on {url}");
        var values = form.QuerySelectorAll("input[type=hidden]")
            .Select(i => (Name: i.GetAttribute("name") ?? "", Value: i.GetAttribute("value") ?? ""))
            .Where(f => f.Name.Length > 0 && !fields.ContainsKey(f.Name))
            .Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Concat(fields)
            .ToList();
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : url;
        var response = await web.Client.PostAsync(action, new FormUrlEncodedContent(values));
        return await WebSession.Page.ReadAsync(response);
    }

    /// <summary>Submits the import form with a file, as a browser does (multipart, with the page's antiforgery token).</summary>
    private static async Task<WebSession.Page> UploadAsync(WebSession web, string sku, string supplier, string fileName, byte[] content)
    {
        var form = await web.GetAsync("/Admin/Batches/Import");
        var token = form.Document.QuerySelector("form[data-testid=import-form] input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("The import form has no antiforgery token.");
        using var body = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(sku), "Input.Sku" },
            { new StringContent(supplier), "Input.SupplierCode" },
            { new StringContent("3.20"), "Input.UnitCost" },
            { new StringContent(""), "Input.Lines" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        body.Add(file, "Input.File", fileName);
        var response = await web.Client.PostAsync("/Admin/Batches/Import", body);
        return await WebSession.Page.ReadAsync(response);
    }

    private static int Count(WebSession.Page stock, string sku, string state) =>
        int.Parse(stock.Document.QuerySelector($"[data-testid=stock] tr[data-sku='{sku}'] td[data-state={state}]")?.TextContent.Trim()
            ?? throw new InvalidOperationException($"{sku} is not on the stock page."), CultureInfo.InvariantCulture);

    private static string NewSku() => "T" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    private static string Code(string prefix) => $"{prefix}-{Guid.NewGuid():N}".ToUpperInvariant();

    private static TestUser Operator(TestAccount account) => new(account.UserId, ShopRoles.Operator);

    private static async Task<T> SendAsync<T>(ShopFactory app, ICurrentUser user, IRequest<T> request)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TestActor>().User = user;
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    /// <summary>The shop with <see cref="TestActor"/> in place, so tests can send use cases as a chosen user.</summary>
    public sealed class Fixture : ShopFixture
    {
        protected override ShopFactory CreateFactory(string connectionString) => new(connectionString) { Configure = TestActor.Register };
    }

    /// <summary>
    /// Who the use cases in a test's DI scope act for. Unset (every HTTP request), the scope's
    /// <see cref="ICurrentUser"/> is the shop's own, read from the signed-in principal.
    /// </summary>
    public sealed class TestActor
    {
        public ICurrentUser? User { get; set; }

        public static void Register(IServiceCollection services)
        {
            services.AddScoped<TestActor>();
            services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<TestActor>().User
                ?? new CurrentUser(sp.GetRequiredService<IHttpContextAccessor>()));
        }
    }

    public sealed record TestUser(Guid Id, params string[] Roles) : ICurrentUser
    {
        public Guid? UserId => Id;
        public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);
        public string? IpAddress => "127.0.0.1";
        public string? UserAgent => "tests";
    }
}
