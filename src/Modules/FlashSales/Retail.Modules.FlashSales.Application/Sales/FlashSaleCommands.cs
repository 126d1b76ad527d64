using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Domain;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Domain.Sales;

namespace Retail.Modules.FlashSales.Application.Sales;

/// <summary>One product of a sale as an admin enters it: exactly one of <see cref="FlashPrice"/> or <see cref="PercentOff"/>.</summary>
public sealed record FlashSaleItemInput(string Sku, decimal? FlashPrice, int? PercentOff, int Allocation, int PerCustomerCap);

/// <summary>Creates a sale. Times are instants (UTC on the wire; pages convert from the shop's time zone).</summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record CreateFlashSaleCommand(string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<FlashSaleItemInput> Items)
    : ICommand<Guid>, IOwnsTransaction;

/// <summary>
/// Replaces a sale's name, window and products; units already sold stay sold. <paramref name="ExpectedVersion"/> is the
/// version the admin's form (or script) was filled from; when someone else saved the sale since, the answer is 409
/// "reload" and nothing is changed.
/// </summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record UpdateFlashSaleCommand(Guid Id, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<FlashSaleItemInput> Items, int? ExpectedVersion = null)
    : ICommand, IOwnsTransaction;

/// <summary>Ends a sale now (it stays in the history).</summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record EndFlashSaleCommand(Guid Id) : ICommand, IOwnsTransaction;

/// <summary>What a sale being edited already holds of one product: its allocation and the units sold of it.</summary>
internal sealed record StoredItem(int Allocation, int Sold);

/// <summary>The field rules shared by create and update; the domain rules check the same again.</summary>
internal static class FlashSaleInputRules
{
    public static void Add<T>(AbstractValidator<T> validator, Func<T, string> name, Func<T, DateTimeOffset> startsAt, Func<T, DateTimeOffset> endsAt, Func<T, IReadOnlyList<FlashSaleItemInput>> items)
    {
        validator.RuleFor(c => name(c)).NotEmpty().MaximumLength(FlashSale.MaxNameLength).OverridePropertyName("Name");
        validator.RuleFor(c => endsAt(c)).Must((c, end) => end > startsAt(c)).WithMessage("The sale must end after it starts.").OverridePropertyName("EndsAt");
        validator.RuleFor(c => endsAt(c)).Must((c, end) => end - startsAt(c) <= FlashSale.MaxDuration)
            .WithMessage($"A sale lasts at most {FlashSale.MaxDuration.TotalDays:0} days.").OverridePropertyName("EndsAt");
        validator.RuleFor(c => items(c)).NotNull().NotEmpty().WithMessage("Add at least one product.")
            .Must(i => i is null || i.Count <= FlashSale.MaxItems).WithMessage($"At most {FlashSale.MaxItems} products per sale.")
            .Must(i => i is null || i.Any(x => x is null) || i.Select(x => FlashSkus.Normalize(x.Sku)).Distinct(StringComparer.Ordinal).Count() == i.Count)
            .WithMessage("Each product may appear only once.")
            .OverridePropertyName("Items");
        // Child rules skip null entries, which the rule above and the handler would then dereference: a 500 instead of a 400.
        validator.RuleForEach(c => items(c)).NotNull().WithMessage("Each product needs a SKU, a price or percentage, an allocation and a cap.")
            .OverridePropertyName("Items");
        validator.RuleForEach(c => items(c)).ChildRules(item =>
        {
            item.RuleFor(i => i.Sku).NotEmpty().MaximumLength(40);
            item.RuleFor(i => i).Must(i => (i.FlashPrice is null) != (i.PercentOff is null))
                .WithMessage("Give either a flash price or a percentage off.").OverridePropertyName("Price");
            item.RuleFor(i => i.FlashPrice).GreaterThanOrEqualTo(0m).PrecisionScale(12, 2, ignoreTrailingZeros: true).When(i => i.FlashPrice is not null);
            item.RuleFor(i => i.PercentOff).InclusiveBetween(1, 99).When(i => i.PercentOff is not null);
            item.RuleFor(i => i.Allocation).InclusiveBetween(1, AllocationAndCapMustBeValidRule.MaxAllocation);
            item.RuleFor(i => i.PerCustomerCap).GreaterThanOrEqualTo(1).LessThanOrEqualTo(i => i.Allocation)
                .WithMessage("The per-customer cap is at least 1 and at most the allocation.");
        }).OverridePropertyName("Items");
    }

    /// <summary>
    /// Looks the SKUs up in Catalog (name, regular price, whether it is sold, stock) and turns the input into domain specs.
    /// A product Catalog does not sell (deactivated) is refused with 422 <c>flash.product_inactive</c> naming it: its units
    /// would show in the sale but checkout can never reserve them. <paramref name="alreadyInSale"/> (an update's stored
    /// items) may stay although deactivated since: the admin can still edit or shorten a sale a product left meanwhile.
    /// An allocation whose unsold units are more than Catalog has in stock is refused for the same reason (the listing
    /// would show units as left that every checkout is refused); a stored allocation that is not raised may stay, as
    /// stock sold elsewhere since must not stop the admin renaming or shortening the sale.
    /// </summary>
    public static async Task<Result<IReadOnlyList<FlashSaleItemSpec>>> ToSpecsAsync(
        IRequestSender sender, IReadOnlyList<FlashSaleItemInput> items, CancellationToken cancellationToken, IReadOnlyDictionary<string, StoredItem>? alreadyInSale = null)
    {
        var skus = items.Select(i => FlashSkus.Normalize(i.Sku)).ToList();
        var products = await sender.Send(new GetProductsForCheckout(skus), cancellationToken);
        if (!products.IsSuccess)
        {
            return products.Error;
        }

        var bySku = products.Value.ToDictionary(p => p.Sku, StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        var inactive = new Dictionary<string, string[]>();
        var inactiveNames = new List<string>();
        var specs = new List<FlashSaleItemSpec>();
        for (var index = 0; index < items.Count; index++)
        {
            var input = items[index];
            var sku = skus[index];
            if (!bySku.TryGetValue(sku, out var product))
            {
                errors[$"Items[{index}].Sku"] = [$"There is no product with SKU {sku}."];
                continue;
            }

            var stored = alreadyInSale?.GetValueOrDefault(sku);
            if (!product.IsActive && stored is null)
            {
                inactive[$"Items[{index}].Sku"] = [$"{product.Name} ({sku}) is not active in the catalog."];
                inactiveNames.Add($"{product.Name} ({sku})");
                continue;
            }

            var price = input.FlashPrice is { } fixedPrice ? FlashPrice.Fixed(fixedPrice) : FlashPrice.Percent(input.PercentOff ?? 0);
            if (input.FlashPrice is { } p && p >= product.Price)
            {
                errors[$"Items[{index}].FlashPrice"] = [$"The flash price must be below the regular price ({product.Price:0.00})."];
                continue;
            }

            var sold = stored?.Sold ?? 0;
            if (input.Allocation > (stored?.Allocation ?? 0) && input.Allocation - sold > Math.Max(0, product.Stock))
            {
                errors[$"Items[{index}].Allocation"] =
                    [$"Only {Math.Max(0, product.Stock)} of {sku} are in stock: the allocation can be at most {Math.Max(0, product.Stock) + sold}."];
                continue;
            }

            specs.Add(new FlashSaleItemSpec(sku, product.Name, product.Price, price, input.Allocation, input.PerCustomerCap));
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        return inactive.Count > 0 ? ProductInactive(inactiveNames, inactive) : specs;
    }

    private static Error ProductInactive(IReadOnlyList<string> names, Dictionary<string, string[]> fieldErrors) =>
        Error.Unprocessable(
            "flash.product_inactive",
            names.Count == 1
                ? $"{names[0]} is not active in the catalog; only active products can be in a flash sale."
                : $"{string.Join(", ", names)} are not active in the catalog; only active products can be in a flash sale.")
        with { FieldErrors = fieldErrors };

    /// <summary>
    /// A product may be in one sale at a time: checkout only ever claims from the earliest live sale of a SKU, so the units
    /// of a second sale in an overlapping window would show as available but could not be bought. Callers check inside the
    /// unit-of-work transaction that saves the sale: on SQLite that transaction begins with <c>BEGIN IMMEDIATE</c> (the
    /// single write lock), so a concurrent save of another sale waits and then sees this one. Checked before the
    /// transaction, two saves could both find no overlap and both be written.
    /// </summary>
    public static async Task<Error?> OverlapAsync(
        IFlashSalesDbContext db, Guid? saleId, DateTimeOffset startsAt, DateTimeOffset endsAt, IReadOnlyList<FlashSaleItemSpec> specs, CancellationToken cancellationToken)
    {
        var skus = specs.Select(s => s.Sku).ToList();
        var (start, end) = (startsAt.ToUniversalTime(), endsAt.ToUniversalTime());
        var clashes = await (from i in db.Items.AsNoTracking()
                             join s in db.Sales.AsNoTracking() on i.SaleId equals s.Id
                             where skus.Contains(i.Sku) && s.Id != saleId && s.StartsAt < end && s.EndsAt > start
                             select new { i.Sku, s.Name }).ToListAsync(cancellationToken);
        if (clashes.Count == 0)
        {
            return null;
        }

        var errors = new Dictionary<string, string[]>();
        for (var index = 0; index < specs.Count; index++)
        {
            if (clashes.FirstOrDefault(c => c.Sku == specs[index].Sku) is { } clash)
            {
                errors[$"Items[{index}].Sku"] = [$"{clash.Sku} is already in the flash sale '{clash.Name}' at that time."];
            }
        }

        return Error.Conflict("flash.sale_overlap", "A product can be in only one flash sale at a time.") with { FieldErrors = errors };
    }

    /// <summary>
    /// A window that is over already: the sale would never run, yet the admin was told it was created or saved (a wrong
    /// year or day in the form). Checked against the server clock here, as the validator has none. An edit may keep the end
    /// it had (an ended sale can still be renamed); "End now" is what ends a running sale.
    /// </summary>
    public static Error? AlreadyOver(DateTimeOffset endsAt, DateTimeOffset now, DateTimeOffset? storedEndsAt = null) =>
        endsAt > now || endsAt == storedEndsAt
            ? null
            : Error.Validation(new Dictionary<string, string[]>
            {
                ["EndsAt"] = [$"The sale would be already over: it must end after now ({now.ToUniversalTime():yyyy-MM-dd HH:mm} UTC)."],
            });

    public static Error Stale() =>
        Error.Conflict("flash.sale_changed", "This flash sale was changed by someone else meanwhile. Please reload it and try again.");

    public static Error NotFound(Guid id) => Error.NotFound("flash.sale_not_found", $"There is no flash sale {id}.");
}

public sealed class CreateFlashSaleCommandValidator : AbstractValidator<CreateFlashSaleCommand>
{
    public CreateFlashSaleCommandValidator() => FlashSaleInputRules.Add(this, c => c.Name, c => c.StartsAt, c => c.EndsAt, c => c.Items);
}

public sealed class UpdateFlashSaleCommandValidator : AbstractValidator<UpdateFlashSaleCommand>
{
    public UpdateFlashSaleCommandValidator()
    {
        RuleFor(c => c.Id).NotEmpty();
        FlashSaleInputRules.Add(this, c => c.Name, c => c.StartsAt, c => c.EndsAt, c => c.Items);
    }
}

/// <summary>Commits, then drops the cached listing on this instance at once (the FlashSaleChanged event reaches the L2 copy).</summary>
public sealed class CreateFlashSaleCommandHandler(IFlashSalesDbContext db, IFlashSalesUnitOfWork unitOfWork, IRequestSender sender, HybridCache cache, TimeProvider time)
    : ICommandHandler<CreateFlashSaleCommand, Guid>
{
    public async ValueTask<Result<Guid>> Handle(CreateFlashSaleCommand command, CancellationToken cancellationToken)
    {
        if (FlashSaleInputRules.AlreadyOver(command.EndsAt, time.GetUtcNow()) is { } over)
        {
            return over;
        }

        var specs = await FlashSaleInputRules.ToSpecsAsync(sender, command.Items, cancellationToken);
        if (!specs.IsSuccess)
        {
            return specs.Error;
        }

        var sale = FlashSale.Create(command.Name, command.StartsAt, command.EndsAt, specs.Value, time.GetUtcNow());
        Error? overlap = null;
        var saved = await unitOfWork.ExecuteAsync(
            async () =>
            {
                // Checked in the transaction that saves (see OverlapAsync): checked before it, two admins saving
                // overlapping sales of one product at once both passed.
                overlap = await FlashSaleInputRules.OverlapAsync(db, null, command.StartsAt, command.EndsAt, specs.Value, cancellationToken);
                if (overlap is not null)
                {
                    return false;
                }

                db.Sales.Add(sale);
                return true;
            },
            saved => saved,
            cancellationToken);
        if (!saved)
        {
            return overlap!;
        }

        await cache.RemoveByTagAsync(FlashSalesModule.CacheTag, cancellationToken);
        return sale.Id;
    }
}

public sealed class UpdateFlashSaleCommandHandler(IFlashSalesDbContext db, IFlashSalesUnitOfWork unitOfWork, IRequestSender sender, HybridCache cache, TimeProvider time)
    : ICommandHandler<UpdateFlashSaleCommand>
{
    public async ValueTask<Result> Handle(UpdateFlashSaleCommand command, CancellationToken cancellationToken)
    {
        var storedEnd = await db.Sales.AsNoTracking().Where(s => s.Id == command.Id).Select(s => (DateTimeOffset?)s.EndsAt).SingleOrDefaultAsync(cancellationToken);
        if (storedEnd is null)
        {
            return FlashSaleInputRules.NotFound(command.Id);
        }

        if (FlashSaleInputRules.AlreadyOver(command.EndsAt, time.GetUtcNow(), storedEnd) is { } over)
        {
            return over;
        }

        var stored = (await db.Items.AsNoTracking().Where(i => i.SaleId == command.Id).Select(i => new { i.Sku, i.Allocation, i.Sold }).ToListAsync(cancellationToken))
            .ToDictionary(i => i.Sku, i => new StoredItem(i.Allocation, i.Sold), StringComparer.Ordinal);
        var specs = await FlashSaleInputRules.ToSpecsAsync(sender, command.Items, cancellationToken, stored);
        if (!specs.IsSuccess)
        {
            return specs.Error;
        }

        Error? refused = null;
        bool found;
        try
        {
            found = await unitOfWork.ExecuteAsync(
                async () =>
                {
                    refused = null;
                    var sale = await db.Sales.Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == command.Id, cancellationToken);
                    if (sale is not null && command.ExpectedVersion is { } expected && expected != sale.Version)
                    {
                        // The form was filled before someone else's save: saving it would silently undo theirs.
                        refused = FlashSaleInputRules.Stale();
                        return true;
                    }

                    // In the transaction that saves (see OverlapAsync), not before it.
                    if (sale is not null
                        && await FlashSaleInputRules.OverlapAsync(db, command.Id, command.StartsAt, command.EndsAt, specs.Value, cancellationToken) is { } overlap)
                    {
                        refused = overlap;
                        return true;
                    }

                    try
                    {
                        sale?.Update(command.Name, command.StartsAt, command.EndsAt, specs.Value, time.GetUtcNow());
                    }
                    catch (BusinessRuleValidationException broken)
                    {
                        // Only the stored sale knows its units sold (an allocation below them, a product with sales left out):
                        // an answer the pages can show too, not an exception that only the API turned into a 422.
                        refused = Error.Unprocessable("rule." + broken.RuleName, broken.Message);
                    }

                    return sale is not null;
                },
                found => found && refused is null,
                cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another save committed between our read and our write (the version checked in the UPDATE's WHERE).
            return FlashSaleInputRules.Stale();
        }

        if (!found)
        {
            return FlashSaleInputRules.NotFound(command.Id);
        }

        if (refused is not null)
        {
            return refused;
        }

        await cache.RemoveByTagAsync(FlashSalesModule.CacheTag, cancellationToken);
        return Result.Success();
    }
}

public sealed class EndFlashSaleCommandHandler(IFlashSalesDbContext db, IFlashSalesUnitOfWork unitOfWork, HybridCache cache, TimeProvider time)
    : ICommandHandler<EndFlashSaleCommand>
{
    public async ValueTask<Result> Handle(EndFlashSaleCommand command, CancellationToken cancellationToken)
    {
        var found = await unitOfWork.ExecuteAsync(
            async () =>
            {
                var sale = await db.Sales.SingleOrDefaultAsync(s => s.Id == command.Id, cancellationToken);
                sale?.EndNow(time.GetUtcNow());
                return sale is not null;
            },
            found => found,
            cancellationToken);
        if (!found)
        {
            return FlashSaleInputRules.NotFound(command.Id);
        }

        await cache.RemoveByTagAsync(FlashSalesModule.CacheTag, cancellationToken);
        return Result.Success();
    }
}
