using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Orders;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Orders;

/// <summary>The caller's orders, newest first, a page at a time.</summary>
public sealed record ListOrders(int Page, int PageSize = 20) : IRequest<Paged<OrderSummary>>;

public sealed class ListOrdersValidator : AbstractValidator<ListOrders>
{
    public ListOrdersValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 100);
    }
}

internal sealed class ListOrdersHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<ListOrders, Paged<OrderSummary>>
{
    public async Task<Paged<OrderSummary>> Handle(ListOrders request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var english = VisitorLanguage.IsEnglish;
        var mine = db.Orders.Where(o => o.UserId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var items = await (from o in mine
                           join p in db.Products on o.ProductId equals p.Id
                           orderby o.CreatedAt descending, o.No
                           select new OrderSummary(o.No, o.Status, o.Total, o.CreatedAt, p.Sku, english ? p.NameEn : p.NameZh, o.Quantity))
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .ToListAsync(cancellationToken);
        return new Paged<OrderSummary>(items, request.Page, request.PageSize, total);
    }
}

public sealed record OrderSummary(string OrderNo, OrderStatus Status, decimal Total, DateTimeOffset CreatedAt, string Sku, string ProductName, int Quantity);

