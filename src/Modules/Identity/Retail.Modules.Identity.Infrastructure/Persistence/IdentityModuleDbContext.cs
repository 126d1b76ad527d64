using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Identity.Application;
using Retail.Modules.Identity.Application.Abstractions;

namespace Retail.Modules.Identity.Infrastructure.Persistence;

/// <summary>A shop user: ASP.NET Core Identity's user plus a display name.</summary>
public sealed class RetailUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Identity's tables on the shared module base (schema/prefix, outbox). The model below is the one
/// <c>IdentityDbContext</c> builds; the EF stores only need a <see cref="DbContext"/> exposing these sets.
/// </summary>
internal class IdentityModuleDbContext(DbContextOptions options) : ModuleDbContext(options, IdentityModule.Name), IIdentityDbContext
{
    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RetailUser>(b =>
        {
            b.ToTable("Users");
            b.HasKey(u => u.Id);
            b.HasIndex(u => u.NormalizedUserName).HasDatabaseName("UserNameIndex").IsUnique();
            b.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex");
            b.Property(u => u.ConcurrencyStamp).IsConcurrencyToken();
            b.Property(u => u.UserName).HasMaxLength(256);
            b.Property(u => u.NormalizedUserName).HasMaxLength(256);
            b.Property(u => u.Email).HasMaxLength(256);
            b.Property(u => u.NormalizedEmail).HasMaxLength(256);
            b.Property(u => u.DisplayName).HasMaxLength(100);
            b.HasMany<IdentityUserClaim<string>>().WithOne().HasForeignKey(c => c.UserId).IsRequired();
            b.HasMany<IdentityUserLogin<string>>().WithOne().HasForeignKey(l => l.UserId).IsRequired();
            b.HasMany<IdentityUserToken<string>>().WithOne().HasForeignKey(t => t.UserId).IsRequired();
            b.HasMany<IdentityUserRole<string>>().WithOne().HasForeignKey(r => r.UserId).IsRequired();
        });
        modelBuilder.Entity<IdentityUserClaim<string>>(b =>
        {
            b.ToTable("UserClaims");
            b.HasKey(c => c.Id);
        });
        modelBuilder.Entity<IdentityUserLogin<string>>(b =>
        {
            b.ToTable("UserLogins");
            b.HasKey(l => new { l.LoginProvider, l.ProviderKey });
        });
        modelBuilder.Entity<IdentityUserToken<string>>(b =>
        {
            b.ToTable("UserTokens");
            b.HasKey(t => new { t.UserId, t.LoginProvider, t.Name });
        });
        modelBuilder.Entity<IdentityRole>(b =>
        {
            b.ToTable("Roles");
            b.HasKey(r => r.Id);
            b.HasIndex(r => r.NormalizedName).HasDatabaseName("RoleNameIndex").IsUnique();
            b.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
            b.Property(r => r.Name).HasMaxLength(256);
            b.Property(r => r.NormalizedName).HasMaxLength(256);
            b.HasMany<IdentityUserRole<string>>().WithOne().HasForeignKey(ur => ur.RoleId).IsRequired();
            b.HasMany<IdentityRoleClaim<string>>().WithOne().HasForeignKey(rc => rc.RoleId).IsRequired();
        });
        modelBuilder.Entity<IdentityRoleClaim<string>>(b =>
        {
            b.ToTable("RoleClaims");
            b.HasKey(rc => rc.Id);
        });
        modelBuilder.Entity<IdentityUserRole<string>>(b =>
        {
            b.ToTable("UserRoles");
            b.HasKey(r => new { r.UserId, r.RoleId });
        });
    }
}

internal sealed class IdentitySqliteDbContext(DbContextOptions<IdentitySqliteDbContext> options) : IdentityModuleDbContext(options);

internal sealed class IdentitySqlServerDbContext(DbContextOptions<IdentitySqlServerDbContext> options) : IdentityModuleDbContext(options);

internal sealed class IdentitySqliteDesignTimeFactory() : SqliteDesignTimeFactory<IdentitySqliteDbContext>(IdentityModule.Name, o => new(o));

internal sealed class IdentitySqlServerDesignTimeFactory() : SqlServerDesignTimeFactory<IdentitySqlServerDbContext>(IdentityModule.Name, o => new(o));
