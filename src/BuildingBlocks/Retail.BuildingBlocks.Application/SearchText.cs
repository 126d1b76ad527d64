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

    /// <summary>
    /// No search text with control characters: SQLite ends a LIKE pattern at a NUL, so "\0abc" became "%" and matched
    /// every row, and no name, SKU, code or slug holds one (a typed search never does).
    /// </summary>
    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => text is null || !text.Any(char.IsControl)).WithMessage("{PropertyName} cannot contain control characters.");
}
