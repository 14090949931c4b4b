using CardMall.Application.Abstractions;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Catalog;

/// <summary>The shop's shelves, in display order, named in the visitor's language.</summary>
public sealed record ListCategories(bool English) : IRequest<IReadOnlyList<CategoryView>>;

internal sealed class ListCategoriesHandler(Shelves shelves) : IRequestHandler<ListCategories, IReadOnlyList<CategoryView>>
{
    public async Task<IReadOnlyList<CategoryView>> Handle(ListCategories request, CancellationToken cancellationToken) =>
        (await shelves.ReadAsync(cancellationToken)).Categories.Select(c => new CategoryView(c.Slug, c.Name(request.English))).ToList();
}

public sealed record CategoryView(string Slug, string Name);
