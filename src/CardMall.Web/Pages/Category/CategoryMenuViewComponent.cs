using CardMall.Application.Abstractions;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Localization;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace CardMall.Web.Pages.Category;

/// <summary>The navbar's "Categories" menu (the layout caches it per language: shelves rarely change).</summary>
public sealed class CategoryMenuViewComponent(IMediator mediator, ILogger<CategoryMenuViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        IReadOnlyList<CategoryView> categories;
        try
        {
            categories = await mediator.Send(new ListCategories(VisitorLanguage.IsEnglish), HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The layout also frames the error page: without the list the menu becomes a plain link to
            // the home page's shelves rather than a page that cannot render at all.
            // The type, not the message: a message may quote what the failing use case was handling.
            logger.LogWarning("Categories for the menu could not be read ({ExceptionType})", ex.GetType().FullName);
            categories = [];
        }
        return View("~/Pages/Category/_CategoryMenu.cshtml", categories);
    }
}
