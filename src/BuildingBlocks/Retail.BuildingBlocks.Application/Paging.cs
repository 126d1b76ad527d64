using FluentValidation;

namespace Retail.BuildingBlocks.Application;

/// <summary>The page numbers every paged request accepts (<see cref="PagedResult{T}"/>), one rule for all lists.</summary>
public static class Paging
{
    /// <summary>
    /// The highest page number a list answers. Lists read their rows from <c>(Page - 1) * PageSize</c>; past int range that
    /// offset wrapped negative, SQLite read it as 0, and a page number like 2147483647 answered with the first page.
    /// </summary>
    public const int MaxPage = 100_000;

    /// <summary>A page number from 1 to <see cref="MaxPage"/>.</summary>
    public static IRuleBuilderOptions<T, int> ValidPage<T>(this IRuleBuilder<T, int> rule) => rule.InclusiveBetween(1, MaxPage);
}
