using Retail.BuildingBlocks.Contracts;

// The test assembly plays one module ("testing"): its handlers subscribe as that module and use its inbox.
[assembly: RetailModule(Retail.BuildingBlocks.IntegrationTests.Support.TestModule.Name)]
