using Retail.Modules.Partners.Application;

namespace Retail.Modules.Partners.UnitTests;

public sealed class PartnersOptionsValidatorTests
{
    private static readonly PartnersOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_are_valid()
    {
        Validator.Validate(null, new PartnersOptions()).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void A_batch_size_catalog_accepts_is_valid(int batchSize)
    {
        Validator.Validate(null, new PartnersOptions { BatchSize = batchSize }).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1001)]
    public void A_batch_size_catalog_would_refuse_names_the_setting_and_the_limit(int batchSize)
    {
        var result = Validator.Validate(null, new PartnersOptions { BatchSize = batchSize });

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldBe($"Partners:BatchSize must be between 1 and 1000 (Catalog's rows per call); it is {batchSize}.");
    }

    [Fact]
    public void Every_invalid_setting_is_reported_not_only_the_first()
    {
        var result = Validator.Validate(null, new PartnersOptions
        {
            MaxFeedBytes = 1000,
            InlineMaxBytes = 2000,
            Currency = "usd",
            MaxVanishShare = 0m,
            CallbackTimeout = TimeSpan.Zero,
            DeliveryRetention = TimeSpan.FromHours(23),
            AuthAuditRetention = TimeSpan.Zero,
        });

        result.Failures.ShouldNotBeNull().Select(f => f.Split(' ')[0]).ShouldBe(
            ["Partners:InlineMaxBytes", "Partners:Currency", "Partners:MaxVanishShare", "Partners:CallbackTimeout", "Partners:DeliveryRetention", "Partners:AuthAuditRetention"]);
    }
}
