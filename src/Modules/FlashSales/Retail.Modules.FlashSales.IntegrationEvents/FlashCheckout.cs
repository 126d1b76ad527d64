using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;

namespace Retail.Modules.FlashSales.IntegrationEvents;

/// <summary>
/// The live flash offers for these SKUs right now (SKUs not in a live sale are left out; none at all while flash sales are
/// switched off). Answered from the cached listing: fine for showing prices in a cart, never trusted for a purchase.
/// </summary>
public sealed record GetFlashOffers(IReadOnlyList<string> Skus) : IQuery<IReadOnlyList<FlashOfferDto>>;

public sealed record FlashOfferDto(string Sku, Guid SaleId, string SaleName, decimal FlashPrice, decimal RegularPrice, DateTimeOffset EndsAt, int PerCustomerCap);

/// <summary>
/// SPEC A1's tighter limit during flash sales: per customer and SKU, for SKUs that are in a live sale. Fails with
/// 429 (rate_limited, Retry-After) when any of them is over its limit; answers the SKUs that were counted.
/// </summary>
public sealed record CheckFlashCheckoutRate(string CustomerId, IReadOnlyList<string> Skus) : IQuery<IReadOnlyList<string>>;

public sealed record FlashLine(string Sku, int Quantity);

/// <summary>
/// Answers, without any write and before the checkout gate, a flash claim that the database would certainly refuse right
/// now: 409 <c>flash.sold_out</c> / 422 <c>flash.cap_exceeded</c>, exactly as <see cref="ClaimFlashAllocation"/> would.
/// Only SKUs this instance has reason to doubt (remembered as sold out, or this customer near the cap) are checked, with
/// one read of the live items and the customer's purchases made after the request arrived; anything else, or any doubt,
/// succeeds (the claim decides). Answers whether the database was read. <paramref name="SoldOutOnly"/> doubts only
/// sold-out items (checkout asks that before the per customer + SKU limit, so a sold-out answer costs no attempt of it).
/// </summary>
public sealed record PrecheckFlashClaim(string CustomerId, IReadOnlyList<FlashLine> Lines, bool SoldOutOnly = false) : IQuery<bool>;

/// <param name="RegularPrice">Catalog's price at checkout, the base of a percent-off flash price.</param>
public sealed record FlashClaimLine(string Sku, int Quantity, decimal RegularPrice);

public sealed record FlashClaimedLine(string Sku, Guid SaleId, int Quantity, decimal UnitPrice);

/// <summary>
/// Claims flash units for an order, all or nothing, in one FlashSales transaction: per line in a live sale, the allocation
/// (conditional UPDATE, never above it) and the customer's cap (conditional UPDATE/INSERT, never above it). Lines whose
/// SKU is in no live sale are not claimed and keep the regular price. Answers the claimed lines with the flash price now
/// locked for the order. Idempotent per order. 409 <c>flash.sold_out</c> when the allocation is short, 422
/// <c>flash.cap_exceeded</c> when the customer would go over the cap.
/// </summary>
public sealed record ClaimFlashAllocation(Guid OrderId, string CustomerId, IReadOnlyList<FlashClaimLine> Lines) : ICommand<IReadOnlyList<FlashClaimedLine>>;

/// <summary>Gives back what <see cref="ClaimFlashAllocation"/> claimed for the order (not yet paid), exactly once.</summary>
public sealed record ReleaseFlashAllocation(Guid OrderId, string Reason) : ICommand;

/// <summary>Read-only: live and upcoming sales with units sold and remaining, for the operations dashboard.</summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record GetFlashSalesOverview : IQuery<FlashSalesOverviewDto>;

public sealed record FlashSalesOverviewDto(bool Enabled, int LiveSales, int UpcomingSales, int UnitsSold, int UnitsRemaining, int OpenHolds);
