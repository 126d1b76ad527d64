using FluentValidation;

namespace Retail.BuildingBlocks.Application;

/// <summary>Rules for text people type, the same in every module.</summary>
public static class TextRules
{
    /// <summary>
    /// No control characters (NUL, line breaks, tabs, escape sequences): no name, address line, SKU, code or search a
    /// person types holds one. In a search SQLite ends a LIKE pattern at a NUL, so "\0abc" became "%" and matched every
    /// row; in a name or an address line it was stored and shown as typed. Chain WithMessage for a field's own words.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => text is null || !text.Any(char.IsControl)).WithMessage("{PropertyName} cannot contain control characters.");
}
