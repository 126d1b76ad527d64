using Retail.Modules.Returns.Application;

namespace Retail.Modules.Returns.UnitTests;

public sealed class ReturnsOptionsValidatorTests
{
    private static readonly ReturnsOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_and_an_immediate_sla_are_valid()
    {
        Validator.Validate(null, new ReturnsOptions()).Succeeded.ShouldBeTrue();
        Validator.Validate(null, new ReturnsOptions { StageSla = TimeSpan.Zero, MaxPhotos = 0 }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void A_window_that_refuses_every_return_and_a_missing_address_are_named()
    {
        var result = Validator.Validate(null, new ReturnsOptions { ReturnWindow = TimeSpan.Zero, MaxPhotoBytes = 0, ReturnAddress = " " });

        result.Failures.ShouldBe(
        [
            "Returns:ReturnWindow must be a positive duration; it is 00:00:00.",
            "Returns:MaxPhotoBytes must be at least 1; it is 0.",
            "Returns:ReturnAddress must be the address customers send returns to.",
        ]);
    }
}
