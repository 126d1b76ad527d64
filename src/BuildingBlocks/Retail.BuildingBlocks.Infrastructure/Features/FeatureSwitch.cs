using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Retail.BuildingBlocks.Infrastructure.Features;

/// <summary>The stored state of a run-time switch: one row per feature, in the owning module's tables.</summary>
public sealed class FeatureSwitch
{
    private FeatureSwitch()
    {
    }

    public FeatureSwitch(string name, bool enabled, DateTimeOffset changedAt, string changedBy)
    {
        Name = name;
        Enabled = enabled;
        ChangedAt = changedAt;
        ChangedBy = changedBy;
    }

    public string Name { get; private set; } = "";

    public bool Enabled { get; private set; }

    public DateTimeOffset ChangedAt { get; private set; }

    public string ChangedBy { get; private set; } = "";

    public void Set(bool enabled, DateTimeOffset changedAt, string changedBy)
    {
        Enabled = enabled;
        ChangedAt = changedAt;
        ChangedBy = changedBy;
    }
}

internal sealed class FeatureSwitchConfiguration : IEntityTypeConfiguration<FeatureSwitch>
{
    public void Configure(EntityTypeBuilder<FeatureSwitch> builder)
    {
        builder.ToTable("FeatureSwitches");
        builder.HasKey(f => f.Name);
        builder.Property(f => f.Name).HasMaxLength(64);
        builder.Property(f => f.ChangedBy).HasMaxLength(256);
    }
}

public static class FeatureSwitchModelExtensions
{
    /// <summary>Adds the FeatureSwitches table to a module that owns a run-time switch (call from ConfigureModule).</summary>
    public static ModelBuilder AddFeatureSwitches(this ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfiguration(new FeatureSwitchConfiguration());
}
