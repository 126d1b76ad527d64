using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Catalog.Domain.Products;

public sealed class SkuMustBeWellFormedRule(string sku) : IBusinessRule
{
    public bool IsBroken() => !Skus.IsWellFormed(sku);

    public string Message => $"A SKU has 1–{Skus.MaxLength} letters, digits, '-', '_' or '.'.";
}

public sealed class PriceMustBeNonNegativeRule(decimal price) : IBusinessRule
{
    public bool IsBroken() => price < 0;

    public string Message => "A price cannot be negative.";
}

public sealed class StockCannotBeNegativeRule(int stock) : IBusinessRule
{
    public bool IsBroken() => stock < 0;

    public string Message => "Stock cannot be negative.";
}

public sealed class ImagesMustBeAbsoluteHttpUrlsRule(IReadOnlyList<string> urls) : IBusinessRule
{
    public bool IsBroken()
    {
        if (urls.Count > Product.MaxImages)
        {
            return true;
        }

        for (var i = 0; i < urls.Count; i++)
        {
            if (!IsAllowed(urls[i]))
            {
                return true;
            }
        }

        return false;
    }

    public string Message => $"Up to {Product.MaxImages} images, each an http(s) URL or a site path starting with '/'.";

    // Null arrives from a JSON body's "imageUrls":[null]; it is refused like any other bad entry instead of throwing.
    public static bool IsAllowed(string? url) =>
        url is not null && ((url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && url.Length <= 500)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && url.Length <= 500));
}

/// <summary>What a stock adjustment must satisfy before it reaches the conditional update.</summary>
public static class StockAdjustmentRules
{
    public const int MaxDelta = 1_000_000;

    /// <summary>The most a product's stock can hold (its column is an int); an increase past it is refused.</summary>
    public const int MaxStock = int.MaxValue;

    // Not Math.Abs: it throws for int.MinValue, which an API caller can send.
    public static bool IsValidDelta(int delta) => delta is not 0 and >= -MaxDelta and <= MaxDelta;
}
