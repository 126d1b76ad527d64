using Retail.BuildingBlocks.Contracts;

// ADR 0004: the public requests below are handled by the Returns module, so behaviors (unit of work, authorization)
// must see them as the module's own. The literal equals ReturnsModule.Name, which this contract assembly cannot reference.
[assembly: RetailModule("returns")]
