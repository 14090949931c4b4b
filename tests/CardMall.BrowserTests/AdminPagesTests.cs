using System.Globalization;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The demo operator runs the stock side of the shop in the browser: adds a product and a supplier,
/// imports keys (one pasted line repeats another, one is already stored), freezes the batch, reads the
/// stock and adjusts a customer's wallet. Every page is saved as a screenshot in both languages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPagesTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string OperatorEmail = "operator@cardmall.test";
    private const string CustomerEmail = "buyer@cardmall.test";

    [Fact]
    public Task The_operator_stocks_a_product_freezes_its_batch_and_adjusts_a_wallet_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, page => OperatorJourneyAsync(page, ShopTexts.Chinese, AdminTexts.Chinese));

    [Fact]
    public Task The_operator_stocks_a_product_freezes_its_batch_and_adjusts_a_wallet_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, page => OperatorJourneyAsync(page, ShopTexts.English, AdminTexts.English));

    private static async Task OperatorJourneyAsync(IPage page, ShopTexts texts, AdminTexts words)
    {
        var sku = "BT-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var supplier = "bt-" + Guid.NewGuid().ToString("N")[..8];
        var codes = Enumerable.Range(0, 12).Select(i => $"{sku}-{i:D2}-{Guid.NewGuid():N}"[..40].ToUpperInvariant()).ToList();
        // The confirmation questions (data-confirm) are answered "yes", as the operator would.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.GotoAsync("/");
        await page.SignInAsync(texts, OperatorEmail, ShopJourneys.DemoPassword);
        await page.OpenFromAccountMenuAsync(texts.StaffArea);

        // Products: the list, then a new one.
        await OpenFromSidebarAsync(page, words.ProductsNav);
        await Expect(page.Heading(words.ProductsHeading)).ToBeVisibleAsync();
        await SaveAsync(page, "products", words);
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = words.NewProduct, Exact = true }).ClickAsync();
        await page.GetByLabel("SKU", new PageGetByLabelOptions { Exact = true }).FillAsync(sku);
        await page.GetByLabel(words.Category, new PageGetByLabelOptions { Exact = true }).SelectOptionAsync("activation-codes");
        await page.GetByLabel(words.FaceValue, new PageGetByLabelOptions { Exact = true }).FillAsync("128");
        var chinese = page.Locator(".card[lang='zh-CN']");
        await chinese.GetByLabel(words.Name, new LocatorGetByLabelOptions { Exact = true }).FillAsync("浏览器测试激活码 " + sku);
        await chinese.GetByLabel(words.Description).FillAsync("一年期专业版激活码，激活后绑定一台电脑。");
        var english = page.Locator(".card[lang='en']");
        await english.GetByLabel(words.Name, new LocatorGetByLabelOptions { Exact = true }).FillAsync("Browser test licence " + sku);
        await english.GetByLabel(words.Description).FillAsync("One-year professional licence, bound to one computer once activated.");
        await page.GetByLabel(words.Price, new PageGetByLabelOptions { Exact = true }).FillAsync("118");
        await page.GetByLabel(words.VipPrice).FillAsync("112.50");
        await page.GetByLabel(words.MaxPerBuyerPerDay).FillAsync("5");
        await page.GetByLabel(words.Regions, new PageGetByLabelOptions { Exact = true }).FillAsync(words.RegionsValue);
        await SaveAsync(page, "product-new", words);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.CreateProduct, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("product-created")).ToContainTextAsync(sku);
        var productRow = page.Locator($"tr[data-sku='{sku}']");
        await Expect(productRow).ToContainTextAsync("¥118.00");
        await Expect(productRow.GetByTestId("stock-level")).ToHaveTextAsync(words.SoldOut);
        // The same form edits it: the price is there to change, the SKU is fixed.
        await productRow.GetByTestId("edit-product").ClickAsync();
        await Expect(page.GetByLabel(words.Price, new PageGetByLabelOptions { Exact = true })).ToHaveValueAsync("118.00");
        await Expect(page.GetByLabel("SKU", new PageGetByLabelOptions { Exact = true })).ToHaveAttributeAsync("readonly", "readonly");
        await SaveAsync(page, "product-edit", words);
        await page.GoBackAsync();

        // Suppliers: a new one; its secret is typed once and never shown.
        await OpenFromSidebarAsync(page, words.SuppliersNav);
        await page.GetByLabel(words.SupplierCode, new PageGetByLabelOptions { Exact = true }).FillAsync(supplier);
        await page.GetByLabel(words.SupplierName, new PageGetByLabelOptions { Exact = true }).FillAsync(words.SupplierNameValue);
        await page.GetByLabel(words.WebhookSecret, new PageGetByLabelOptions { Exact = true }).FillAsync("whsec-" + Guid.NewGuid().ToString("N"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.AddSupplier, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("supplier-created")).ToContainTextAsync(supplier);
        await SaveAsync(page, "suppliers", words);

        // Import: one key first, then twelve lines that repeat it and repeat each other.
        await OpenFromSidebarAsync(page, words.BatchesNav);
        await ImportAsync(page, words, sku, supplier, codes[0]);
        await Expect(page.GetByTestId("imported-count")).ToHaveTextAsync("1");
        await OpenFromSidebarAsync(page, words.BatchesNav);
        await ImportAsync(page, words, sku, supplier, string.Join('\n', codes.Skip(1).Take(5).Append(codes[0]).Append(codes[1]).Concat(codes.Skip(6))));
        await Expect(page.GetByTestId("imported-count")).ToHaveTextAsync("11");
        var rejected = page.GetByTestId("rejected-lines").Locator("tbody tr");
        await Expect(rejected).ToHaveCountAsync(2);
        await Expect(rejected.Nth(0)).ToContainTextAsync(words.AlreadyStored);
        await Expect(rejected.Nth(1)).ToContainTextAsync(string.Format(CultureInfo.InvariantCulture, words.DuplicateOfLine, 1));
        await Expect(page.Locator("textarea")).ToHaveValueAsync("");
        await SaveAsync(page, "import-result", words);

        // Batches: freeze the big one.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = words.SeeBatches, Exact = true }).ClickAsync();
        var newest = page.GetByTestId("batches").Locator("tbody tr").First;
        await Expect(newest.Locator("td[data-state=Available]")).ToHaveTextAsync("11");
        await SaveAsync(page, "batches", words);
        await newest.GetByText(words.Freeze, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await newest.GetByLabel(words.Reason, new LocatorGetByLabelOptions { Exact = true }).FillAsync(words.FreezeReason);
        await newest.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.FreezeBatch, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("batch-frozen")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("batches").Locator("tbody tr").First.GetByTestId("frozen-badge")).ToBeVisibleAsync();
        await SaveAsync(page, "batches-frozen", words);

        // Stock: only the first key is still for sale.
        await OpenFromSidebarAsync(page, words.StockNav);
        var stockRow = page.GetByTestId("stock").Locator($"tr[data-sku='{sku}']");
        await Expect(stockRow.Locator("td[data-state=Available]")).ToHaveTextAsync("1");
        await Expect(stockRow.Locator("td[data-state=Frozen]")).ToHaveTextAsync("11");
        await Expect(stockRow.GetByTestId("stock-level")).ToHaveTextAsync(words.FewLeft);
        await SaveAsync(page, "stock", words);

        // Wallets: find the demo buyer and credit them, with a reason.
        await OpenFromSidebarAsync(page, words.WalletsNav);
        await page.GetByLabel(words.Email, new PageGetByLabelOptions { Exact = true }).FillAsync(CustomerEmail);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Find, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("wallet-account")).ToContainTextAsync(CustomerEmail);
        await page.GetByLabel(words.Amount, new PageGetByLabelOptions { Exact = true }).FillAsync("8.80");
        await page.GetByLabel(words.Reason, new PageGetByLabelOptions { Exact = true }).FillAsync(words.AdjustReason);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Adjust, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("wallet-adjusted")).ToBeVisibleAsync();
        var line = page.GetByTestId("ledger").Locator("tbody tr").First;
        await Expect(line.GetByTestId("ledger-note")).ToHaveTextAsync(words.AdjustReason);
        await Expect(line.GetByTestId("ledger-posted-by")).ToHaveTextAsync(OperatorEmail);
        await Expect(line).ToContainTextAsync("+¥8.80");
        await SaveAsync(page, "wallets", words);
    }

    private static async Task ImportAsync(IPage page, AdminTexts words, string sku, string supplier, string lines)
    {
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = words.ImportKeys, Exact = true }).ClickAsync();
        await page.GetByLabel(words.Product, new PageGetByLabelOptions { Exact = true }).SelectOptionAsync(sku);
        await page.GetByLabel(words.Supplier, new PageGetByLabelOptions { Exact = true }).SelectOptionAsync(supplier);
        await page.GetByLabel(words.UnitCost, new PageGetByLabelOptions { Exact = true }).FillAsync("96.50");
        await page.GetByLabel(words.PasteKeys, new PageGetByLabelOptions { Exact = true }).FillAsync(lines);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.ImportButton, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("import-result")).ToBeVisibleAsync();
    }

    private static Task OpenFromSidebarAsync(IPage page, string entry) =>
        page.Locator(".admin-sidebar").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = entry, Exact = true }).ClickAsync();

    private static async Task SaveAsync(IPage page, string name, AdminTexts words)
    {
        Directory.CreateDirectory(BrowserShop.ScreenshotFolder);
        // From the top: scrolled, the sticky navigation bar would be drawn over the middle of a full-page shot.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserShop.ScreenshotFolder, $"AdminPages-{name}-{words.Locale}.png"),
            FullPage = true,
        });
    }

    /// <summary>The words of the operator pages, copied from SharedResource(.en).resx and Messages(.en).resx on purpose.</summary>
    private sealed record AdminTexts(
        string Locale,
        string ProductsNav, string ProductsHeading, string NewProduct, string Category, string FaceValue, string Name, string Description,
        string Price, string VipPrice, string MaxPerBuyerPerDay, string Regions, string RegionsValue, string CreateProduct, string SoldOut, string FewLeft,
        string SuppliersNav, string SupplierCode, string SupplierName, string SupplierNameValue, string WebhookSecret, string AddSupplier,
        string BatchesNav, string ImportKeys, string Product, string Supplier, string UnitCost, string PasteKeys, string ImportButton,
        string AlreadyStored, string DuplicateOfLine, string SeeBatches, string Freeze, string Reason, string FreezeReason, string FreezeBatch,
        string StockNav, string WalletsNav, string Email, string Find, string Amount, string AdjustReason, string Adjust)
    {
        public static AdminTexts Chinese { get; } = new(
            Locale: "zh-CN",
            ProductsNav: "商品", ProductsHeading: "商品", NewProduct: "新建商品", Category: "分类", FaceValue: "面值", Name: "名称", Description: "描述",
            Price: "售价", VipPrice: "VIP 价", MaxPerBuyerPerDay: "每人每天最多", Regions: "适用地区", RegionsValue: "中国大陆", CreateProduct: "创建商品",
            SoldOut: "缺货", FewLeft: "少量",
            SuppliersNav: "供应商", SupplierCode: "代码", SupplierName: "名称", SupplierNameValue: "云图软件授权中心", WebhookSecret: "Webhook 签名密钥", AddSupplier: "添加",
            BatchesNav: "卡密批次", ImportKeys: "导入卡密", Product: "商品", Supplier: "供应商", UnitCost: "单价成本", PasteKeys: "粘贴卡密", ImportButton: "导入",
            AlreadyStored: "该卡密已在库中", DuplicateOfLine: "与本批第 {0} 行重复", SeeBatches: "查看批次", Freeze: "冻结…", Reason: "原因",
            FreezeReason: "供应商通报该批次激活异常", FreezeBatch: "冻结批次",
            StockNav: "库存", WalletsNav: "钱包调整", Email: "邮箱", Find: "查找", Amount: "金额", AdjustReason: "补偿：工单 T-1024 发货延迟", Adjust: "调整");

        public static AdminTexts English { get; } = new(
            Locale: "en-US",
            ProductsNav: "Products", ProductsHeading: "Products", NewProduct: "New product", Category: "Category", FaceValue: "Face value", Name: "Name", Description: "Description",
            Price: "Price", VipPrice: "VIP price", MaxPerBuyerPerDay: "Daily max per buyer", Regions: "Regions", RegionsValue: "Worldwide", CreateProduct: "Create product",
            SoldOut: "Sold out", FewLeft: "Few left",
            SuppliersNav: "Suppliers", SupplierCode: "Code", SupplierName: "Name", SupplierNameValue: "Cloudmap Licensing", WebhookSecret: "Webhook signing secret", AddSupplier: "Add supplier",
            BatchesNav: "Key batches", ImportKeys: "Import keys", Product: "Product", Supplier: "Supplier", UnitCost: "Unit cost", PasteKeys: "Paste keys", ImportButton: "Import",
            AlreadyStored: "this key is already stored", DuplicateOfLine: "duplicate of line {0} in this batch", SeeBatches: "See the batches", Freeze: "Freeze…", Reason: "Reason",
            FreezeReason: "Supplier reported activation failures in this batch", FreezeBatch: "Freeze batch",
            StockNav: "Stock", WalletsNav: "Wallets", Email: "E-mail", Find: "Find", Amount: "Amount", AdjustReason: "Compensation: late delivery in ticket T-1024", Adjust: "Adjust");
    }
}
