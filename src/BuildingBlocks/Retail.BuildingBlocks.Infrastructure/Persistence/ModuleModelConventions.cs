using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// How a module's tables are laid out in the shared database: a schema per module on SQL Server, a table-name prefix on
/// SQLite (which has no schemas), and SQLite-safe storage for money and times so they can be ordered and compared in SQL.
/// </summary>
public static class ModuleModelConventions
{
    public static void ApplyModuleLayout(ModelBuilder modelBuilder, bool isSqlServer, string schema)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        if (isSqlServer)
        {
            modelBuilder.HasDefaultSchema(schema);
            return;
        }

        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()))
        {
            var table = entity.GetTableName()!;
            if (!table.StartsWith(schema + "_", StringComparison.Ordinal))
            {
                entity.SetTableName($"{schema}_{table}");
            }
        }
    }

    public static void ApplyProviderConventions(ModelConfigurationBuilder configurationBuilder, bool isSqlServer)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (isSqlServer)
        {
            configurationBuilder.Properties<decimal>().HavePrecision(19, 4);
            return;
        }

        // SQLite has no decimal or datetimeoffset type that orders correctly; store exact integers instead.
        configurationBuilder.Properties<decimal>().HaveConversion<DecimalToScaledLongConverter>();
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    public static string HistoryTable(string schema) => $"__{schema}_migrations";
}

/// <summary>Stores a decimal as an integer count of ten-thousandths, so money sorts and sums exactly on SQLite.</summary>
public sealed class DecimalToScaledLongConverter() : ValueConverter<decimal, long>(
    v => (long)decimal.Round(v * 10_000m, MidpointRounding.AwayFromZero),
    v => v / 10_000m);

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC ticks so comparisons happen in SQL on SQLite.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
