namespace CardMall.Application.Abstractions;

/// <summary>One page of a longer list (orders, ledger lines, key batches): the items and where they sit.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
