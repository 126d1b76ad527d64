using Retail.BuildingBlocks.Contracts;

// ADR 0004: the public requests below are handled by the Payments module, so behaviors (unit of work, authorization)
// must see them as the module's own. The literal equals PaymentsModule.Name (a unit test compares them), because this
// contract assembly cannot reference the Application assembly that declares the constant.
[assembly: RetailModule("payments")]
