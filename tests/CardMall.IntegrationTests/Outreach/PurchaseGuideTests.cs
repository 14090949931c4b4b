using System.Net;
using AngleSharp.Html.Dom;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Tickets;
using FluentValidation;

namespace CardMall.IntegrationTests.Outreach;

/// <summary>
/// A product with a guide (会员账号安全设置指南): a buyer who buys it is sent the guide — a notice and an e-mail —
/// once, however often and however concurrently they buy; a product without a guide sends nothing.
/// </summary>
public sealed class PurchaseGuideTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task A_buyer_gets_the_products_guide_once_as_a_notice_and_an_e_mail_whatever_they_buy_later()
    {
        var (sku, slug) = await ProductWithGuideAsync();
        var (plainSku, _) = await _kit.Shop.ProductWithKeysAsync(5);
        var buyer = await _kit.BuyerAsync(200m);

        await _kit.BuyAsync(buyer, plainSku, 1);
        Assert.Equal(0, await GuideNoticesAsync(buyer.UserId));

        await _kit.BuyAsync(buyer, sku, 1);
        await _kit.BuyAsync(buyer, sku, 2);

        Assert.Equal(1, await GuideNoticesAsync(buyer.UserId));
        Assert.Equal("/Help/" + slug, await _kit.ScalarAsync<string>("SELECT link FROM notifications WHERE user_id = $1 AND kind = 'PurchaseGuide'", buyer.UserId));
        Assert.Contains("账号安全设置指南", await _kit.ScalarAsync<string>("SELECT args FROM notifications WHERE user_id = $1 AND kind = 'PurchaseGuide'", buyer.UserId), StringComparison.Ordinal);
        Assert.Equal(1, await GuideEmailsAsync(buyer.UserId));

        // Another buyer of the same product gets their own copy.
        var other = await _kit.BuyerAsync(50m);
        await _kit.BuyAsync(other, sku, 1);
        Assert.Equal(1, await GuideNoticesAsync(other.UserId));
    }

    [Fact]
    public async Task Orders_placed_at_the_same_moment_send_the_guide_once()
    {
        var (sku, _) = await ProductWithGuideAsync(stock: 30);
        var buyer = await _kit.BuyerAsync(300m);

        var orders = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => _kit.BuyAsync(buyer, sku, 1))));

        Assert.Equal(6, orders.Select(o => o.OrderNo).Distinct().Count());
        Assert.Equal(1, await GuideNoticesAsync(buyer.UserId));
        Assert.Equal(1, await GuideEmailsAsync(buyer.UserId));
        Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM purchase_guides_sent WHERE user_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task A_guide_taken_offline_is_not_pushed_and_goes_out_once_it_is_back()
    {
        var (sku, slug) = await ProductWithGuideAsync();
        var buyer = await _kit.BuyerAsync(100m);
        var editor = await _kit.StaffAsync(ShopRoles.Operator);

        await _kit.SendAsync(editor, Guide(slug, published: false, originalSlug: slug));
        await _kit.BuyAsync(buyer, sku, 1);
        Assert.Equal(0, await GuideNoticesAsync(buyer.UserId));

        await _kit.SendAsync(editor, Guide(slug, published: true, originalSlug: slug));
        await _kit.BuyAsync(buyer, sku, 1);
        Assert.Equal(1, await GuideNoticesAsync(buyer.UserId));
    }

    [Fact]
    public async Task An_operator_can_only_name_a_published_article_as_the_guide_and_can_take_it_off()
    {
        var (sku, slug) = await ProductWithGuideAsync();
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var product = await _kit.SendAsync(op, new GetProductForEditing(sku));
        Assert.Equal(slug, product.GuideSlug);

        var refused = await _kit.RefusalAsync(op, product with { GuideSlug = "no-such-article" });
        var failure = Assert.Single(Assert.IsType<ValidationException>(refused).Errors);
        Assert.Equal(nameof(UpdateProduct.GuideSlug), failure.PropertyName);

        await _kit.SendAsync(op, product with { GuideSlug = null });
        Assert.Null((await _kit.SendAsync(op, new GetProductForEditing(sku))).GuideSlug);
        var buyer = await _kit.BuyerAsync(50m);
        await _kit.BuyAsync(buyer, sku, 1);
        Assert.Equal(0, await GuideNoticesAsync(buyer.UserId));
    }

    [Fact]
    public async Task The_operator_chooses_the_guide_on_the_product_page_from_the_published_articles()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(1);
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var published = "guide-" + Guid.NewGuid().ToString("N")[..8];
        var draft = "draft-" + Guid.NewGuid().ToString("N")[..8];
        await _kit.SendAsync(op, Guide(published, published: true));
        await _kit.SendAsync(op, Guide(draft, published: false));
        using var web = await _kit.SignInAsync(op);
        var url = $"/Admin/Products/Edit/{sku}";

        var form = await web.GetAsync(url);
        var choices = form.Document.QuerySelectorAll("[data-testid=product-guide] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(published, choices);
        Assert.DoesNotContain(draft, choices);

        var saved = await web.SubmitAsync(url, "form[data-testid=product-form]", FormValues(form, ("Input.GuideSlug", published)));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal(published, (await web.GetAsync(url)).Document.QuerySelector("[data-testid=product-guide] option[selected]")?.GetAttribute("value"));

        var refused = await web.SubmitAsync(url, "form[data-testid=product-form]", FormValues(form, ("Input.GuideSlug", draft)));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains($"There is no published article {draft}.", refused.FieldErrors("Input.GuideSlug"));
    }

    /// <summary>What the form shows (its text inputs and chosen options), with some fields changed.</summary>
    private static Dictionary<string, string> FormValues(Support.WebSession.Page page, params (string Name, string Value)[] changes)
    {
        var form = page.Document.QuerySelector("form[data-testid=product-form]")!;
        var values = form.QuerySelectorAll("input:not([type=hidden]):not([type=checkbox])").OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name)).ToDictionary(i => i.Name!, i => i.Value);
        foreach (var select in form.QuerySelectorAll("select").OfType<IHtmlSelectElement>()) values[select.Name!] = select.Value ?? "";
        values["Input.IsActive"] = "true";
        foreach (var (name, value) in changes) values[name] = value;
        return values;
    }

    private async Task<(string Sku, string Slug)> ProductWithGuideAsync(int stock = 10)
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(stock);
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var slug = "guide-" + Guid.NewGuid().ToString("N")[..8];
        await _kit.SendAsync(op, Guide(slug, published: true));
        var product = await _kit.SendAsync(op, new GetProductForEditing(sku));
        await _kit.SendAsync(op, product with { GuideSlug = slug });
        return (sku, slug);
    }

    private static SaveArticle Guide(string slug, bool published, string? originalSlug = null) =>
        new(originalSlug, slug, "Tutorial", null, "会员账号安全设置指南", "Keeping your membership account safe",
            "登录后请立即修改密码并开启二次验证。", "Change the password and turn on two-step verification as soon as you sign in.", published);

    private Task<long> GuideNoticesAsync(Guid userId) =>
        _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PurchaseGuide'", userId);

    private Task<long> GuideEmailsAsync(Guid userId) =>
        _kit.CountAsync("SELECT count(*) FROM outgoing_emails e JOIN notifications n ON n.id = e.notification_id WHERE e.user_id = $1 AND n.kind = 'PurchaseGuide'", userId);
}
