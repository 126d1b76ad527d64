using Retail.BuildingBlocks.Contracts;

// ADR 0004: CreatePartnerUser is handled by the Identity module; the literal equals IdentityModule.Name.
[assembly: RetailModule("identity")]
