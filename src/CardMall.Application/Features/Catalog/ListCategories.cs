using CardMall.Application.Abstractions;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Catalog;

/// <summary>The shop's shelves, in display order, named in the visitor's language.</summary>
public sealed record ListCategories(bool English) : IRequest<IReadOnlyList<CategoryView>>;

internal sealed class ListCategoriesHandler(ICardMallDb db) : IRequestHandler<ListCategories, IReadOnlyList<CategoryView>>
{
    public async Task<IReadOnlyList<CategoryView>> Handle(ListCategories request, CancellationToken cancellationToken)
    {
        var rows = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Slug).ToListAsync(cancellationToken);
        return rows.Select(c => new CategoryView(c.Slug, c.Name(request.English))).ToList();
    }
}

public sealed record CategoryView(string Slug, string Name);
