using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Domain.Accounts;
using CardMall.Domain.KnowledgeBase;
using CardMall.Infrastructure.Persistence;
using CardMall.Infrastructure.Seeding;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests;

/// <summary>The help centre and its staff editor, through the real pages: who may write, what readers see, and that no article runs script.</summary>
public sealed class KnowledgeBaseTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private const string EditorForm = "form[data-testid=article-form]";

    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task An_operator_saves_an_article_in_the_editor_and_visitors_read_it_rendered_in_Chinese_and_English()
    {
        using var editor = await SignedInAsync(ShopRoles.Operator);
        var slug = NewSlug("tutorial");

        var saved = await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, Fields(slug, published: true,
            bodyZh: "## 兑换步骤\n\n1. 打开 **Steam** 客户端\n2. 输入充值码",
            bodyEn: "## Steps\n\n1. Open the **Steam** client\n2. Enter the code"));

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var edit = await editor.FollowAsync(saved);
        Assert.NotNull(edit.Document.QuerySelector("[data-testid=article-saved]"));
        Assert.Equal(slug, edit.Document.QuerySelector<IHtmlInputElement>("#Input_Slug")?.Value);

        using var chinese = new WebSession(App);
        var zh = await chinese.GetAsync($"/Help/{slug}");
        Assert.Equal(HttpStatusCode.OK, zh.Status);
        Assert.Equal("测试教程标题", zh.Document.QuerySelector("[data-testid=article-title]")?.TextContent.Trim());
        var zhBody = zh.Document.QuerySelector("[data-testid=article-body]")!;
        Assert.Equal("兑换步骤", zhBody.QuerySelector("h2")?.TextContent);
        Assert.Equal("Steam", zhBody.QuerySelector("ol li strong")?.TextContent);

        using var english = new WebSession(App, "en-US");
        var en = await english.GetAsync($"/Help/{slug}");
        Assert.Equal(HttpStatusCode.OK, en.Status);
        Assert.Equal("Test tutorial title", en.Document.QuerySelector("[data-testid=article-title]")?.TextContent.Trim());
        var enBody = en.Document.QuerySelector("[data-testid=article-body]")!;
        Assert.Equal("Steps", enBody.QuerySelector("h2")?.TextContent);
        Assert.Equal(2, enBody.QuerySelectorAll("ol li").Length);

        // It is listed in the help centre, under its kind, in each language.
        var list = await chinese.GetAsync("/Help");
        Assert.Contains(list.Document.QuerySelectorAll("[data-testid=help-section-tutorial] a[data-testid=help-article-link]"),
            a => a.GetAttribute("href") == $"/Help/{slug}" && a.TextContent.Contains("测试教程标题", StringComparison.Ordinal));
        var listEn = await english.GetAsync("/Help?kind=tutorial");
        Assert.Contains(listEn.Document.QuerySelectorAll("a[data-testid=help-article-link]"), a => a.TextContent.Contains("Test tutorial title", StringComparison.Ordinal));
        Assert.Null(listEn.Document.QuerySelector("[data-testid=help-section-faq]"));
    }

    [Fact]
    public async Task A_draft_is_a_404_for_visitors_and_absent_from_the_help_centre_but_staff_can_look_at_it()
    {
        using var editor = await SignedInAsync(ShopRoles.Supervisor);
        var slug = NewSlug("draft");
        await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, Fields(slug, published: false));

        using var visitor = new WebSession(App);
        var page = await visitor.GetAsync($"/Help/{slug}");
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("页面不存在", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("测试教程标题", page.Html, StringComparison.Ordinal);
        var list = await visitor.GetAsync("/Help");
        Assert.DoesNotContain(list.Document.QuerySelectorAll("a[data-testid=help-article-link]"), a => a.GetAttribute("href") == $"/Help/{slug}");

        var staffView = await editor.GetAsync($"/Help/{slug}");
        Assert.Equal(HttpStatusCode.OK, staffView.Status);
        Assert.NotNull(staffView.Document.QuerySelector("[data-testid=article-draft]"));

        var staffList = await editor.GetAsync("/Admin/Articles");
        var row = staffList.Document.QuerySelector($"tr[data-slug={slug}]");
        Assert.NotNull(row);
        Assert.Contains("草稿", row!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_buyer_is_refused_the_article_editor()
    {
        using var buyer = await SignedInAsync(ShopRoles.Buyer);

        foreach (var url in new[] { "/Admin/Articles", "/Admin/Articles/Edit" })
        {
            var refused = await buyer.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, refused.Status);
            Assert.StartsWith("http://localhost/Account/AccessDenied", refused.Location, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_agent_reads_the_editor_list_but_is_refused_saving_with_a_page_error()
    {
        using var agent = await SignedInAsync(ShopRoles.Agent);
        var slug = NewSlug("agent");

        var list = await agent.GetAsync("/Admin/Articles");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.NotNull(list.Document.QuerySelector("[data-testid=articles-read-only]"));
        Assert.Null(list.Document.QuerySelector("[data-testid=new-article]"));

        var refused = await agent.SubmitAsync("/Admin/Articles/Edit", EditorForm, Fields(slug, published: true));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("只有客服主管、运营和管理员可以保存文章", refused.PageErrors, StringComparison.Ordinal);
        // The form keeps what the agent typed.
        Assert.Equal(slug, refused.Document.QuerySelector<IHtmlInputElement>("#Input_Slug")?.Value);
        Assert.False(await ArticleExistsAsync(slug));
    }

    [Fact]
    public async Task A_script_in_an_article_is_shown_as_text_and_never_becomes_an_element()
    {
        using var editor = await SignedInAsync(ShopRoles.Admin);
        var slug = NewSlug("xss");
        const string attack = "Before <script>alert('xss')</script> after\n\n<img src=x onerror=alert(1)>\n\n[click me](javascript:alert(1))\n\n![](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)";
        await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, Fields(slug, published: true, bodyZh: attack, bodyEn: attack));

        using var visitor = new WebSession(App);
        var page = await visitor.GetAsync($"/Help/{slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var body = page.Document.QuerySelector("[data-testid=article-body]")!;
        Assert.Empty(body.QuerySelectorAll("script"));
        Assert.Empty(body.QuerySelectorAll("img"));
        Assert.Empty(body.QuerySelectorAll("[onerror], [onclick], [onload]"));
        Assert.DoesNotContain(body.QuerySelectorAll("a"), a => (a.GetAttribute("href") ?? "").Contains("javascript", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("<script>alert('xss')</script>", body.TextContent, StringComparison.Ordinal);
        Assert.Contains("click me", body.TextContent, StringComparison.Ordinal);
        // The only scripts on the page are the layout's own files.
        Assert.All(page.Document.Scripts, s => Assert.False(string.IsNullOrEmpty(s.Source)));

        // The editor's preview renders the same way.
        var preview = await PreviewAsync(editor, $"/Admin/Articles/Edit/{slug}");
        var previewSection = preview.Document.QuerySelector("[data-testid=article-preview-result]")!;
        Assert.Empty(previewSection.QuerySelectorAll("script, img"));
        Assert.Contains("<script>alert('xss')</script>", previewSection.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_article_is_the_friendly_404_page()
    {
        using var visitor = new WebSession(App);

        var page = await visitor.GetAsync("/Help/no-such-article");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("页面不存在", page.Html, StringComparison.Ordinal);
        Assert.Equal("text/html", page.ContentType);
    }

    [Fact]
    public async Task A_bad_slug_and_a_missing_English_title_are_shown_on_the_form_and_nothing_is_saved()
    {
        var operatorAccount = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var editor = await SignedInAsync(operatorAccount);
        var fields = Fields("Bad Slug!", published: true);
        fields["Input.TitleEn"] = "";
        fields["Input.ProductSku"] = "wow 60";

        var page = await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, fields);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(page.FieldErrors("Input.Slug"), e => e.StartsWith("地址只能使用小写字母、数字和连字符", StringComparison.Ordinal));
        Assert.Contains("请填写英文标题。", page.FieldErrors("Input.TitleEn"));
        Assert.NotEmpty(page.FieldErrors("Input.ProductSku"));
        Assert.Empty(page.FieldErrors("Input.TitleZh"));
        Assert.Equal("Bad Slug!", page.Document.QuerySelector<IHtmlInputElement>("#Input_Slug")?.Value);
        Assert.Equal("测试教程标题", page.Document.QuerySelector<IHtmlInputElement>("#Input_TitleZh")?.Value);
        Assert.False(await ArticleExistsAsync("Bad Slug!"));

        using var english = await SignedInAsync(operatorAccount, "en-US");
        var pageEn = await english.SubmitAsync("/Admin/Articles/Edit", EditorForm, fields);
        Assert.Contains("Please enter the English title.", pageEn.FieldErrors("Input.TitleEn"));
    }

    [Fact]
    public async Task A_slug_already_in_use_is_refused_on_the_slug_field()
    {
        using var editor = await SignedInAsync(ShopRoles.Operator);
        var slug = NewSlug("taken");
        await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, Fields(slug, published: true));

        var second = await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, Fields(slug, published: true));

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Contains("这个地址已被另一篇文章使用，请换一个。", second.FieldErrors("Input.Slug"));
    }

    [Fact]
    public async Task Editing_an_article_can_move_it_to_a_new_slug_and_unpublish_it()
    {
        using var editor = await SignedInAsync(ShopRoles.Operator);
        var slug = NewSlug("move");
        var moved = NewSlug("moved");
        await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, Fields(slug, published: true));

        var form = Fields(moved, published: false);
        form["Input.TitleZh"] = "改过的标题";
        var saved = await editor.SubmitAsync($"/Admin/Articles/Edit/{slug}", EditorForm, form);

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var edit = await editor.FollowAsync(saved);
        Assert.Equal("改过的标题", edit.Document.QuerySelector<IHtmlInputElement>("#Input_TitleZh")?.Value);
        Assert.False(await ArticleExistsAsync(slug));
        using var visitor = new WebSession(App);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/Help/{moved}")).Status);
    }

    [Fact]
    public async Task The_preview_shows_both_bodies_rendered_without_saving()
    {
        using var editor = await SignedInAsync(ShopRoles.Operator);
        var slug = NewSlug("preview");

        var page = await PreviewAsync(editor, "/Admin/Articles/Edit", Fields(slug, published: true,
            bodyZh: "| 提示 | 怎么办 |\n|---|---|\n| 已被使用 | 联系售后 |", bodyEn: "Use `Ctrl+V` to **paste**."));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var preview = page.Document.QuerySelector("[data-testid=article-preview-result]")!;
        var bodies = preview.QuerySelectorAll("[data-testid=article-body]");
        Assert.Equal(2, bodies.Length);
        Assert.Equal("已被使用", bodies[0].QuerySelector("table td")?.TextContent);
        Assert.Equal("Ctrl+V", bodies[1].QuerySelector("code")?.TextContent);
        Assert.Equal("paste", bodies[1].QuerySelector("strong")?.TextContent);
        // The form is still filled in, ready to save.
        Assert.Equal(slug, page.Document.QuerySelector<IHtmlInputElement>("#Input_Slug")?.Value);
        Assert.False(await ArticleExistsAsync(slug));
    }

    [Fact]
    public async Task A_product_page_finds_the_published_tutorial_of_its_product_in_the_visitors_language()
    {
        using var editor = await SignedInAsync(ShopRoles.Operator);
        var sku = "KB-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var tutorial = Fields(NewSlug("tutorial"), published: true);
        tutorial["Input.ProductSku"] = sku.ToLowerInvariant();
        await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, tutorial);
        var draft = Fields(NewSlug("draft"), published: false);
        draft["Input.ProductSku"] = "KB-DRAFT-ONLY";
        await editor.SubmitAsync("/Admin/Articles/Edit", EditorForm, draft);

        Assert.Equal(new TutorialLink(tutorial["Input.Slug"], "测试教程标题"), await FindTutorialAsync(sku, "zh-CN"));
        Assert.Equal(new TutorialLink(tutorial["Input.Slug"], "Test tutorial title"), await FindTutorialAsync(sku, "en-US"));
        Assert.Null(await FindTutorialAsync("KB-DRAFT-ONLY", "zh-CN"));
        Assert.Null(await FindTutorialAsync("NO-SUCH-SKU", "zh-CN"));
    }

    [Fact]
    public async Task The_demo_articles_are_seeded_once_bilingual_and_render_safely()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        string[] skus = ["WOW-60", "NETEASE-100", "GENSHIN-648", "STEAM-WALLET-100", "WIN11-PRO", "OFFICE-2021", "IQIYI-VIP-M", "QQMUSIC-GREEN-Y", "CARDMALL-PLUS-M"];

        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
            await DemoArticles.SeedAsync(db, admin.UserId, DateTimeOffset.UtcNow, default);
            await DemoArticles.SeedAsync(db, admin.UserId, DateTimeOffset.UtcNow, default);

            var seeded = await db.Articles.AsNoTracking().Where(a => a.UpdatedByUserId == admin.UserId).ToListAsync();
            Assert.Equal(skus.Length + 4, seeded.Count);
            Assert.All(skus, sku => Assert.Contains(seeded, a => a.Slug == Article.TutorialSlugFor(sku) && a.ProductSku == sku && a.Kind == ArticleKind.Tutorial));
            Assert.Contains(seeded, a => a.Slug == "faq-key-not-received" && a.Kind == ArticleKind.Faq);
            Assert.Contains(seeded, a => a.Slug == "faq-key-invalid" && a.Kind == ArticleKind.Faq);
            Assert.Contains(seeded, a => a.Slug == "refund-policy" && a.Kind == ArticleKind.Policy);
            Assert.Contains(seeded, a => a.Slug == DemoArticles.MembershipGuideSlug && a.TitleZh == "会员账号安全设置指南");
            Assert.All(seeded, a =>
            {
                Assert.True(a.IsPublished);
                Assert.Matches("[\u4e00-\u9fff]", a.TitleZh + a.BodyZh);
                Assert.DoesNotMatch("[\u4e00-\u9fff]", a.TitleEn + a.BodyEn);
                Assert.True(a.BodyZh.Length <= Article.BodyMaxLength && a.BodyEn.Length <= Article.BodyMaxLength);
            });
        }

        using var visitor = new WebSession(App, "en-US");
        var steam = await visitor.GetAsync("/Help/tutorial-steam-wallet-100");
        Assert.Equal(HttpStatusCode.OK, steam.Status);
        var body = steam.Document.QuerySelector("[data-testid=article-body]")!;
        Assert.NotNull(body.QuerySelector("table.table"));
        Assert.Contains(body.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/Help/refund-policy");
        var policy = await visitor.GetAsync("/Help/refund-policy");
        Assert.Contains("not eligible for 7-day no-reason returns", policy.Document.QuerySelector("[data-testid=article-body]")!.TextContent, StringComparison.Ordinal);
    }

    private async Task<TutorialLink?> FindTutorialAsync(string sku, string culture)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo(culture);
            using var scope = App.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new FindTutorial(sku));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private async Task<WebSession> SignedInAsync(string role) => await SignedInAsync(await TestAccounts.CreateAsync(App, role));

    private async Task<WebSession> SignedInAsync(TestAccount account, string? language = null)
    {
        var web = new WebSession(App, language);
        var signedIn = await web.SignInAsync(account.Email, account.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        return web;
    }

    /// <summary>Posts the editor form to its "preview" button, as a browser does when that button is clicked.</summary>
    private static async Task<WebSession.Page> PreviewAsync(WebSession web, string url, IDictionary<string, string>? fields = null)
    {
        var page = await web.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var form = (IHtmlFormElement)page.Document.QuerySelector(EditorForm)!;
        var values = form.Elements.OfType<IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name) && (i.Type != "checkbox" || i.IsChecked))
            .GroupBy(i => i.Name!).ToDictionary(g => g.Key, g => g.First().Value);
        foreach (var textarea in form.Elements.OfType<IHtmlTextAreaElement>()) values[textarea.Name!] = textarea.Value;
        foreach (var select in form.Elements.OfType<IHtmlSelectElement>()) values[select.Name!] = select.Value ?? "";
        foreach (var (k, v) in fields ?? new Dictionary<string, string>()) values[k] = v;
        var action = page.Document.QuerySelector("[data-testid=article-preview]")!.GetAttribute("formaction")!;
        var response = await web.Client.PostAsync(action, new FormUrlEncodedContent(values));
        return await WebSession.Page.ReadAsync(response);
    }

    private async Task<bool> ArticleExistsAsync(string slug)
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().Articles.AnyAsync(a => a.Slug == slug);
    }

    private static string NewSlug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static Dictionary<string, string> Fields(string slug, bool published, string? bodyZh = null, string? bodyEn = null) => new()
    {
        ["Input.Slug"] = slug,
        ["Input.Kind"] = "Tutorial",
        ["Input.ProductSku"] = "",
        ["Input.TitleZh"] = "测试教程标题",
        ["Input.TitleEn"] = "Test tutorial title",
        ["Input.BodyZh"] = bodyZh ?? "打开客户端，输入卡密。",
        ["Input.BodyEn"] = bodyEn ?? "Open the client and enter the key.",
        ["Input.IsPublished"] = published ? "true" : "false",
    };
}
