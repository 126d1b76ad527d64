using Retail.BuildingBlocks.Application.Settings;

namespace Retail.Modules.Returns.Application;

/// <summary>Checked when the app starts (a zero return window would refuse every return).</summary>
public sealed class ReturnsOptionsValidator : SettingsValidator<ReturnsOptions>
{
    protected override void Check(SettingsCheck check, ReturnsOptions options)
    {
        check
            .Positive(options.ReturnWindow, "Returns:ReturnWindow")
            .Require(options.StageSla >= TimeSpan.Zero, $"Returns:StageSla cannot be negative; it is {options.StageSla}.")
            .AtLeast(options.MaxPhotos, 0, "Returns:MaxPhotos")
            .AtLeast(options.MaxPhotoBytes, 1, "Returns:MaxPhotoBytes")
            .Require(!string.IsNullOrWhiteSpace(options.ReturnAddress), "Returns:ReturnAddress must be the address customers send returns to.");
    }
}
