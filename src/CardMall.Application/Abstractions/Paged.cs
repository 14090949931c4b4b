namespace CardMall.Application.Abstractions;

/// <summary>
/// One page of a longer list (orders, ledger lines, key batches): the items and where they sit.
/// <see cref="MoreThanTotal"/>: the list was counted only so far, and goes on past <see cref="Total"/>.
/// </summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total, bool MoreThanTotal = false)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize + (MoreThanTotal ? 1 : 0));
}
