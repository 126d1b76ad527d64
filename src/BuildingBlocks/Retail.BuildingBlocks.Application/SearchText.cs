using FluentValidation;

namespace Retail.BuildingBlocks.Application;

/// <summary>The search text every searchable list accepts (the catalog, the staff returns queue), one rule for all.</summary>
public static class SearchText
{
    /// <summary>The longest search a list takes; the search boxes carry the same <c>maxlength</c>.</summary>
    public const int MaxLength = 100;

    /// <summary>At most <see cref="MaxLength"/> characters and no control characters.</summary>
    public static IRuleBuilderOptions<T, string?> ValidSearchText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxLength).NoControlCharacters();
}
