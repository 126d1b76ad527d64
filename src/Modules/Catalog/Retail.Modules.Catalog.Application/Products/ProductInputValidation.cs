using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Application.Products;

/// <summary>Field rules shared by create and update, so both forms and the API report the same messages.</summary>
internal static class ProductInputValidation
{
    public const decimal MaxPrice = 1_000_000m;

    public static void AddDetailRules<T>(AbstractValidator<T> validator, Func<T, string> name, Func<T, string?> description,
        Func<T, string> category, Func<T, decimal> price, Func<T, IReadOnlyList<string>?> imageUrls)
    {
        // Control characters are refused as the partner feeds refuse them (SPEC S2): a NUL or an escape sequence in a name
        // reached every page, cart and order that shows the product. A description keeps its line breaks and tabs.
        validator.RuleFor(x => name(x)).NotEmpty().MaximumLength(200)
            .NoControlCharacters().WithMessage("The name cannot contain control characters.")
            .OverridePropertyName("Name");
        validator.RuleFor(x => description(x)).MaximumLength(4000)
            .Must(d => d is null || !d.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            .WithMessage("The description cannot contain control characters other than line breaks and tabs.")
            .OverridePropertyName("Description");
        validator.RuleFor(x => category(x)).NotEmpty().WithMessage("Choose a category.").MaximumLength(100).OverridePropertyName("Category");
        validator.RuleFor(x => price(x)).InclusiveBetween(0m, MaxPrice).PrecisionScale(12, 2, ignoreTrailingZeros: true).OverridePropertyName("Price");
        validator.RuleFor(x => imageUrls(x) ?? Array.Empty<string>())
            .Must(urls => urls.Count <= Product.MaxImages).WithMessage($"At most {Product.MaxImages} images.")
            .Must(urls => urls.All(ImagesMustBeAbsoluteHttpUrlsRule.IsAllowed)).WithMessage("Each image must be an http(s) URL or a site path starting with '/'.")
            .OverridePropertyName("ImageUrls");
    }
}
