using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>A customer's store-credit balance (zero when they never had any). The caller decides who may see whose.</summary>
public sealed record GetStoreCreditBalance(string CustomerId) : IQuery<StoreCreditBalanceDto>;

public sealed record StoreCreditBalanceDto(string CustomerId, decimal Balance);

/// <summary>
/// Adds store credit to a customer's balance (e.g. a return with the STORE_CREDIT disposition). Idempotent by key: a
/// repeat adds nothing and returns the balance; the key reused for another customer or amount is refused
/// (payments.idempotency_key_reused). Publishes <see cref="StoreCreditIssued"/>.
/// </summary>
public sealed record IssueStoreCredit(string CustomerId, decimal Amount, string Reason, string Reference, string IdempotencyKey) : ICommand<StoreCreditBalanceDto>;
