using System.Globalization;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Host.Web;
using Retail.Modules.FlashSales.Application.Sales;

namespace Retail.Host.Pages.Admin.FlashSales;

/// <summary>
/// Create or edit a sale. Times are entered in the shop's time zone; products one per line as
/// <c>SKU, price or percent, allocation, cap</c> (e.g. <c>EL-0001, 19.99, 100, 2</c> or <c>HK-0003, 25%, 50, 1</c>).
/// </summary>
public sealed class EditModel(IRequestSender sender, ShopTime shopTime) : RetailPageModel
{
    public const int MaxProductsText = 8_000;

    public sealed class InputModel
    {
        [Required, StringLength(120)]
        public string Name { get; set; } = "";

        [Required]
        public DateTime? StartsAt { get; set; }

        [Required]
        public DateTime? EndsAt { get; set; }

        [Required(ErrorMessage = "Add at least one product."), StringLength(MaxProductsText)]
        public string Products { get; set; } = "";

        /// <summary>
        /// Minutes from UTC the start was shown with (edit only). In the hour repeated when daylight saving ends a
        /// wall-clock time is two instants; this keeps the one the form showed when it is saved unchanged.
        /// </summary>
        public int? StartsAtOffset { get; set; }

        /// <summary>Minutes from UTC the end was shown with (edit only), as <see cref="StartsAtOffset"/>.</summary>
        public int? EndsAtOffset { get; set; }

        /// <summary>The sale's version the form was filled from (edit only): a save over someone else's newer one is refused.</summary>
        public int? Version { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Guid? SaleId { get; private set; }

    public string ZoneName => shopTime.ZoneName;

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken cancellationToken)
    {
        SaleId = id;
        if (id is null)
        {
            var start = DateTime.UtcNow.AddHours(1);
            Input.StartsAt = shopTime.ToLocal(new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero));
            Input.EndsAt = Input.StartsAt.Value.AddHours(2);
            return Page();
        }

        var sale = await sender.Send(new GetFlashSaleQuery(id.Value), cancellationToken);
        if (!sale.IsSuccess)
        {
            return sale.Error.Kind == ErrorKind.NotFound ? NotFound() : ShowAndStay(sale.Error);
        }

        var s = sale.Value;
        Input.Name = s.Name;
        Input.Version = s.Version;
        Input.StartsAt = shopTime.ToLocal(s.StartsAt);
        Input.EndsAt = shopTime.ToLocal(s.EndsAt);
        Input.StartsAtOffset = (int)shopTime.OffsetOf(s.StartsAt).TotalMinutes;
        Input.EndsAtOffset = (int)shopTime.OffsetOf(s.EndsAt).TotalMinutes;
        Input.Products = string.Join("\n", s.Items.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Sku}, {i.PriceRule}, {i.Allocation}, {i.PerCustomerCap}")));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        SaleId = id;
        var items = ParseProducts(Input.Products ?? "", out var lineErrors, out var productLines);
        foreach (var error in lineErrors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Products)}", error);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var startsAt = shopTime.FromLocal(Input.StartsAt!.Value, Minutes(Input.StartsAtOffset));
        var endsAt = shopTime.FromLocal(Input.EndsAt!.Value, Minutes(Input.EndsAtOffset));
        if (id is null)
        {
            var created = await sender.Send(new CreateFlashSaleCommand(Input.Name, startsAt, endsAt, items), cancellationToken);
            if (created.IsSuccess)
            {
                StatusMessage = "Flash sale created.";
                return Redirect($"/admin/flash-sales/{created.Value}/live");
            }

            return ShowAndStay(created.Error, productLines);
        }

        var updated = await sender.Send(new UpdateFlashSaleCommand(id.Value, Input.Name, startsAt, endsAt, items, Input.Version), cancellationToken);
        if (updated.IsSuccess)
        {
            StatusMessage = "Flash sale saved.";
            return Redirect($"/admin/flash-sales/{id}/live");
        }

        return updated.Error.Kind == ErrorKind.NotFound ? NotFound() : ShowAndStay(updated.Error, productLines);
    }

    private static TimeSpan? Minutes(int? offset) => offset is { } minutes ? TimeSpan.FromMinutes(minutes) : null;

    /// <summary>Parses "SKU, 19.99 | 25%, allocation, cap" lines; every unreadable line is reported with its number.</summary>
    /// <param name="productLines">The line number (from 1) of each product returned, for the command's errors about it.</param>
    public static List<FlashSaleItemInput> ParseProducts(string text, out List<string> errors, out List<int> productLines)
    {
        errors = [];
        productLines = [];
        var items = new List<FlashSaleItemInput>();
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 4 || parts[0].Length == 0)
            {
                errors.Add($"Line {n + 1}: write SKU, price or percent, allocation, cap (e.g. EL-0001, 19.99, 100, 2).");
                continue;
            }

            decimal? price = null;
            int? percent = null;
            if (parts[1].EndsWith('%') && int.TryParse(parts[1].TrimEnd('%'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p))
            {
                percent = p;
            }
            else if (decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var d))
            {
                price = d;
            }
            else
            {
                errors.Add($"Line {n + 1}: '{parts[1]}' is neither a price (19.99) nor a percentage (25%).");
                continue;
            }

            if (!int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var allocation)
                || !int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var cap))
            {
                errors.Add($"Line {n + 1}: the allocation and the cap are whole numbers.");
                continue;
            }

            items.Add(new FlashSaleItemInput(parts[0], price, percent, allocation, cap));
            productLines.Add(n + 1);
        }

        return items;
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult ShowAndStay(Error error, IReadOnlyList<int>? lines = null)
    {
        // Field errors name Items[i].X: show them under the products box with the line number. Blank lines are skipped
        // when reading the box, so product i is not always on line i + 1: "Product 2" sent the admin to an empty line.
        var mapped = error.FieldErrors.Count == 0
            ? error
            : error with
            {
                // Several products' errors all land under the products box: grouped, not one dictionary key each.
                FieldErrors = error.FieldErrors
                    .GroupBy(e => e.Key.StartsWith("Items", StringComparison.Ordinal) ? nameof(InputModel.Products) : e.Key, StringComparer.Ordinal)
                    .ToDictionary(
                        g => g.Key,
                        g => g.SelectMany(e => e.Value.Select(m => e.Key.StartsWith("Items[", StringComparison.Ordinal) ? $"Line {LineOf(e.Key, lines)}: {m}" : m)).ToArray(),
                        StringComparer.Ordinal),
            };
        ShowError(mapped, nameof(Input));
        return Page();
    }

    private static int LineOf(string key, IReadOnlyList<int>? lines)
    {
        var start = key.IndexOf('[', StringComparison.Ordinal) + 1;
        var end = key.IndexOf(']', StringComparison.Ordinal);
        if (!(end > start && int.TryParse(key[start..end], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)))
        {
            return 0;
        }

        return lines is not null && index >= 0 && index < lines.Count ? lines[index] : index + 1;
    }
}
