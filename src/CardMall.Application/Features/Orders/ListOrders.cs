using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Orders;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// The caller's orders, newest first, a page at a time. Without <paramref name="ExactTotal"/> the orders are
/// counted only as far as the pager needs (the first <see cref="ListOrdersHandler.CountedUpTo"/>, or four pages past
/// the one asked for), so a reseller's years of orders are not counted again on every visit to the list.
/// </summary>
public sealed record ListOrders(int Page, int PageSize = 20, bool ExactTotal = true) : IRequest<Paged<OrderSummary>>;

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
    /// <summary>Fifty pages of twenty: nearly every buyer's whole history, and a bounded count for the few beyond it.</summary>
    public const int CountedUpTo = 1_000;

    public async Task<Paged<OrderSummary>> Handle(ListOrders request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var english = VisitorLanguage.IsEnglish;
        var mine = db.Orders.AsNoTracking().Where(o => o.UserId == userId);
        var offset = (request.Page - 1) * request.PageSize;
        int total;
        var more = false;
        if (request.ExactTotal)
            total = await mine.CountAsync(cancellationToken);
        else
        {
            // As far as the pager looks ahead (three pages) and one more row to know whether the list goes on.
            var upTo = Math.Max(CountedUpTo, offset + 4 * request.PageSize);
            var counted = await mine.OrderBy(o => o.CreatedAt).Take(upTo + 1).CountAsync(cancellationToken);
            more = counted > upTo;
            total = Math.Min(counted, upTo);
        }
        var items = await (from o in mine
                           join p in db.Products on o.ProductId equals p.Id
                           orderby o.CreatedAt descending, o.No
                           select new OrderSummary(o.No, o.Status, o.Total, o.CreatedAt, p.Sku, english ? p.NameEn : p.NameZh, o.Quantity))
            .Skip(offset).Take(request.PageSize)
            .ToListAsync(cancellationToken);
        return new Paged<OrderSummary>(items, request.Page, request.PageSize, total, more);
    }
}

public sealed record OrderSummary(string OrderNo, OrderStatus Status, decimal Total, DateTimeOffset CreatedAt, string Sku, string ProductName, int Quantity);

