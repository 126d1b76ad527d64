using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Monitoring.Application;
using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Domain.Totals;

namespace Retail.Modules.Monitoring.Infrastructure.Persistence;

internal class MonitoringDbContext(DbContextOptions options) : ModuleDbContext(options, MonitoringModule.Name), IMonitoringDbContext
{
    public DbSet<BusinessTotal> BusinessTotals => Set<BusinessTotal>();

    public DbSet<DailyTotal> DailyTotals => Set<DailyTotal>();

    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BusinessTotal>(b =>
        {
            b.ToTable("BusinessTotals");
            b.HasKey(t => t.Name);
            b.Property(t => t.Name).HasMaxLength(BusinessTotal.MaxNameLength);
        });
        modelBuilder.Entity<DailyTotal>(b =>
        {
            b.ToTable("DailyTotals");
            b.HasKey(t => new { t.Day, t.Name });
            b.Property(t => t.Name).HasMaxLength(BusinessTotal.MaxNameLength);
        });
    }
}

/// <summary>SQLite flavour: exists so SQLite keeps its own migrations (Migrations/Sqlite).</summary>
internal sealed class MonitoringSqliteDbContext(DbContextOptions<MonitoringSqliteDbContext> options) : MonitoringDbContext(options);

/// <summary>SQL Server flavour: exists so SQL Server keeps its own migrations (Migrations/SqlServer).</summary>
internal sealed class MonitoringSqlServerDbContext(DbContextOptions<MonitoringSqlServerDbContext> options) : MonitoringDbContext(options);

internal sealed class MonitoringSqliteDesignTimeFactory() : SqliteDesignTimeFactory<MonitoringSqliteDbContext>(MonitoringModule.Name, o => new(o));

internal sealed class MonitoringSqlServerDesignTimeFactory() : SqlServerDesignTimeFactory<MonitoringSqlServerDbContext>(MonitoringModule.Name, o => new(o));
