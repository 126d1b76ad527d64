using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Retail.Testing;

/// <summary>
/// Runs <see cref="Competitor"/> once, right after the armed context has read from <paramref name="table"/>: the moment two
/// "first" writers of one row (two instances, or two scopes) have both read that it is not there yet and neither has
/// inserted it. No timing: the competitor runs to its commit inside that window, every time.
/// </summary>
public sealed class AfterFirstReadOf(string table) : DbCommandInterceptor
{
    private readonly string _quotedTable = $"\"{table}\"";

    public DbContext? Armed { get; set; }

    public Func<Task>? Competitor { get; set; }

    public int Fired { get; private set; }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (Armed is not null && ReferenceEquals(eventData.Context, Armed) && Competitor is { } competitor
            && command.CommandText.Contains(_quotedTable, StringComparison.Ordinal)
            && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            Armed = null;
            Fired++;
            await competitor();
        }

        return await base.ReaderExecutedAsync(command, eventData, result, cancellationToken);
    }
}
