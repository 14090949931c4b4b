using CardMall.Application.Abstractions;
using CardMall.Application.Features.Catalog;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace CardMall.Web.Pages.Category;

/// <summary>The navbar's "Categories" menu (the layout caches it per language: shelves rarely change).</summary>
public sealed class CategoryMenuViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Pages/Category/_CategoryMenu.cshtml", await mediator.Send(new ListCategories(RoleChecks.English), HttpContext.RequestAborted));
}
