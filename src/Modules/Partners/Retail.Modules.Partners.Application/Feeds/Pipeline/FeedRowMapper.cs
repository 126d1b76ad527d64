using System.Globalization;
using FluentValidation;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Partners.Application.Feeds.Parsing;

namespace Retail.Modules.Partners.Application.Feeds.Pipeline;

/// <summary>One problem of one row: where (line, field), a stable code and a sentence for people.</summary>
public sealed record RowIssue(int Line, string Field, string Code, string Message, string? Sku = null);

/// <summary>A feed row after sanitizing, before validation: text cleaned, numbers parsed where they could be.</summary>
public sealed class FeedProductInput
{
    public int Line { get; init; }

    public string? Sku { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Category { get; set; }

    public string? PriceText { get; set; }

    public decimal? Price { get; set; }

    public string? Currency { get; set; }

    public string? StockText { get; set; }

    public int? Stock { get; set; }

    public string? Brand { get; set; }

    public string? Gtin { get; set; }

    public string? ImageUrl { get; set; }

    public string ShopCurrency { get; init; } = "USD";
}

/// <summary>The published schema's rules (docs/partners/schema.md); every failure carries the field and a code.</summary>
public sealed class FeedProductValidator : AbstractValidator<FeedProductInput>
{
    public const int MaxSku = 40;
    public const int MaxName = 200;
    public const int MaxDescription = 4000;
    public const int MaxCategory = 100;
    public const int MaxBrand = 100;
    public const int MaxUrl = 500;
    public const decimal MaxPrice = 1_000_000m;
    public const int MaxStock = 1_000_000;

    public FeedProductValidator()
    {
        RuleFor(p => p.Sku).Cascade(CascadeMode.Stop)
            .NotEmpty().WithErrorCode("required").WithMessage("sku is required.")
            .MaximumLength(MaxSku).WithErrorCode("too_long").WithMessage($"sku is longer than {MaxSku} characters.")
            .Must(s => s!.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')).WithErrorCode("invalid_sku")
            .WithMessage("sku may only contain letters, digits, '-', '_' and '.'.")
            .OverridePropertyName(FeedFields.Sku);
        RuleFor(p => p.Name).Cascade(CascadeMode.Stop)
            .NotEmpty().WithErrorCode("required").WithMessage("name is required.")
            .MaximumLength(MaxName).WithErrorCode("too_long").WithMessage($"name is longer than {MaxName} characters.")
            .OverridePropertyName(FeedFields.Name);
        RuleFor(p => p.Description).MaximumLength(MaxDescription).WithErrorCode("too_long")
            .WithMessage($"description is longer than {MaxDescription} characters.").OverridePropertyName(FeedFields.Description);
        RuleFor(p => p.Category).MaximumLength(MaxCategory).WithErrorCode("too_long")
            .WithMessage($"category is longer than {MaxCategory} characters.").OverridePropertyName(FeedFields.Category);
        RuleFor(p => p.Brand).MaximumLength(MaxBrand).WithErrorCode("too_long")
            .WithMessage($"brand is longer than {MaxBrand} characters.").OverridePropertyName(FeedFields.Brand);
        RuleFor(p => p.PriceText).NotEmpty().WithErrorCode("required").WithMessage("price is required.").OverridePropertyName(FeedFields.Price);
        When(p => !string.IsNullOrEmpty(p.PriceText), () =>
        {
            RuleFor(p => p.Price).Cascade(CascadeMode.Stop)
                .NotNull().WithErrorCode("not_a_number").WithMessage(p => $"price '{Short(p.PriceText)}' is not a number like 15.00 or '15.00 USD'.")
                .GreaterThanOrEqualTo(0m).WithErrorCode("negative").WithMessage("price cannot be negative.")
                .LessThanOrEqualTo(MaxPrice).WithErrorCode("out_of_range").WithMessage($"price is above {MaxPrice:0}.")
                .Must(p => decimal.Round(p!.Value, 2) == p.Value).WithErrorCode("too_precise").WithMessage("price has more than 2 decimals.")
                .OverridePropertyName(FeedFields.Price);
        });
        RuleFor(p => p.Currency).Cascade(CascadeMode.Stop)
            .NotEmpty().WithErrorCode("required").WithMessage("currency is required (a column, or after the price as in '15.00 USD').")
            .Must((p, c) => string.Equals(c, p.ShopCurrency, StringComparison.Ordinal)).WithErrorCode("currency_mismatch")
            .WithMessage(p => $"currency '{Short(p.Currency)}' is not the shop's currency {p.ShopCurrency}.")
            .OverridePropertyName(FeedFields.Currency);
        RuleFor(p => p.StockText).NotEmpty().WithErrorCode("required").WithMessage("stock is required (or availability).").OverridePropertyName(FeedFields.Stock);
        When(p => !string.IsNullOrEmpty(p.StockText), () =>
        {
            RuleFor(p => p.Stock).Cascade(CascadeMode.Stop)
                .NotNull().WithErrorCode("not_an_integer").WithMessage(p => $"stock '{Short(p.StockText)}' is not a whole number.")
                .InclusiveBetween(0, MaxStock).WithErrorCode("out_of_range").WithMessage($"stock must be between 0 and {MaxStock}.")
                .OverridePropertyName(FeedFields.Stock);
        });
        RuleFor(p => p.Gtin).Must(g => string.IsNullOrEmpty(g) || (g.All(char.IsAsciiDigit) && g.Length is 8 or 12 or 13 or 14))
            .WithErrorCode("invalid_gtin").WithMessage("gtin must be 8, 12, 13 or 14 digits.").OverridePropertyName(FeedFields.Gtin);
        RuleFor(p => p.ImageUrl).Must(u => string.IsNullOrEmpty(u) || IsHttpUrl(u))
            .WithErrorCode("invalid_url").WithMessage($"image_url must be an absolute http(s) URL of at most {MaxUrl} characters.")
            .OverridePropertyName(FeedFields.ImageUrl);
    }

    public static bool IsHttpUrl(string url) =>
        url.Length <= MaxUrl && !url.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '<' or '>' or '`')
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string Short(string? value) => value is null ? "" : value.Length > 40 ? value[..40] + "…" : value;
}

/// <summary>Raw row → sanitized input → validated Catalog row, or the row's issues.</summary>
public sealed class FeedRowMapper(string shopCurrency)
{
    private static readonly FeedProductValidator Validator = new();

    private static readonly HashSet<string> LineBreaksAllowed = [FeedFields.Description];
    private static readonly HashSet<string> ShortText = [FeedFields.Sku, FeedFields.Name, FeedFields.Category, FeedFields.Brand, FeedFields.Gtin, FeedFields.Currency, FeedFields.Price, FeedFields.Stock, FeedFields.Availability, FeedFields.ImageUrl];
    private static readonly HashSet<string> SchemaFields = [.. ShortText, FeedFields.Description];

    public (PartnerProductRow? Row, List<RowIssue> Issues) Map(RawFeedRow raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var issues = new List<RowIssue>();
        var clean = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, value) in raw.Fields)
        {
            if (field == "__extra_columns")
            {
                issues.Add(new RowIssue(raw.Line, "row", "extra_columns", $"The row has {value} more column(s) than the header."));
                continue;
            }

            if (value is null || !SchemaFields.Contains(field))
            {
                // Unknown fields are ignored (schema.md): never stored, so nothing in them may reject the row, e.g. the
                // nested <g:shipping> of a Google Merchant feed.
                continue;
            }

            if (value == JsonFeedAdapter.NestedValue)
            {
                issues.Add(new RowIssue(raw.Line, field, "not_scalar", $"{field} must be a single value, not a nested object or list."));
                continue;
            }

            if (FeedSanitizer.HasControlCharacters(value, LineBreaksAllowed.Contains(field)))
            {
                issues.Add(new RowIssue(raw.Line, field, "control_characters", $"{field} contains control characters."));
                continue;
            }

            var text = FeedSanitizer.Normalize(value);
            if (field == FeedFields.Description)
            {
                text = FeedSanitizer.StripHtml(text);
            }
            else if (ShortText.Contains(field) && FeedSanitizer.HasMarkup(text))
            {
                issues.Add(new RowIssue(raw.Line, field, "markup_not_allowed", $"{field} must be plain text; HTML and scripts are not allowed."));
                continue;
            }

            clean[field] = text;
        }

        var input = ToInput(raw.Line, clean);
        var sku = input.Sku;
        for (var i = 0; i < issues.Count; i++)
        {
            issues[i] = issues[i] with { Sku = sku };
        }

        var result = Validator.Validate(input);
        foreach (var failure in result.Errors)
        {
            // A field already reported by the sanitizer is not reported twice.
            if (issues.All(i => i.Field != failure.PropertyName))
            {
                issues.Add(new RowIssue(raw.Line, failure.PropertyName, failure.ErrorCode, failure.ErrorMessage, sku));
            }
        }

        if (issues.Count > 0)
        {
            return (null, issues);
        }

        return (new PartnerProductRow(
            input.Sku!.ToUpperInvariant(),
            FeedSanitizer.NeutralizeFormula(input.Name!),
            Optional(input.Description) is { } d ? FeedSanitizer.NeutralizeFormula(d) : null,
            Optional(input.Category) is { } c ? FeedSanitizer.NeutralizeFormula(c) : null,
            input.Price!.Value,
            input.Stock!.Value,
            Optional(input.Brand) is { } b ? FeedSanitizer.NeutralizeFormula(b) : null,
            Optional(input.Gtin),
            Optional(input.ImageUrl)), issues);
    }

    private FeedProductInput ToInput(int line, Dictionary<string, string?> fields)
    {
        string? Get(string name) => fields.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

        var input = new FeedProductInput
        {
            Line = line,
            ShopCurrency = shopCurrency,
            Sku = Get(FeedFields.Sku),
            Name = Get(FeedFields.Name),
            Description = Get(FeedFields.Description),
            Category = Get(FeedFields.Category),
            Brand = Get(FeedFields.Brand),
            Gtin = Get(FeedFields.Gtin),
            ImageUrl = Get(FeedFields.ImageUrl),
            Currency = Get(FeedFields.Currency)?.ToUpperInvariant(),
        };

        // Google Merchant writes prices as "15.00 USD".
        var price = Get(FeedFields.Price);
        input.PriceText = price;
        if (price is not null)
        {
            var parts = price.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var number = parts[0];
            if (parts.Length == 2 && parts[1].Length == 3 && parts[1].All(char.IsAsciiLetter))
            {
                input.Currency ??= parts[1].ToUpperInvariant();
            }
            else if (parts.Length != 1)
            {
                number = "";
            }

            input.Price = decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        var stock = Get(FeedFields.Stock);
        if (stock is null && Get(FeedFields.Availability) is { } availability)
        {
            // Google feeds without a quantity: "in stock" means available (1 unit); every other availability means none.
            stock = availability.Replace(' ', '_').ToLowerInvariant() switch
            {
                "in_stock" => "1",
                "out_of_stock" or "preorder" or "backorder" => "0",
                _ => availability,
            };
        }

        input.StockText = stock;
        input.Stock = stock is not null && int.TryParse(stock, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var units) ? units : null;
        return input;
    }

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
