using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Retail.Testing;

/// <summary>
/// Asks SQLite how it will run each (async) query (EXPLAIN QUERY PLAN, on the same connection with the same parameters) on the
/// current async flow while a recording is open. Only single SELECT statements are explained: an EXPLAIN prefix on a
/// batch would explain its first statement and run the rest.
/// </summary>
public sealed class QueryPlanLog : DbCommandInterceptor
{
    private readonly AsyncLocal<List<QueryPlan>?> _recording = new();

    /// <summary>Starts recording this flow's query plans into the returned list.</summary>
    public List<QueryPlan> Record() => _recording.Value = [];

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (_recording.Value is { } plans && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && !command.CommandText.Contains(';'))
        {
            await using var explain = command.Connection!.CreateCommand();
            explain.Transaction = command.Transaction;
            explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            foreach (DbParameter parameter in command.Parameters)
            {
                var copy = explain.CreateParameter();
                copy.ParameterName = parameter.ParameterName;
                copy.Value = parameter.Value;
                explain.Parameters.Add(copy);
            }

            var steps = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    steps.Add(reader.GetString(3));
                }
            }

            plans.Add(new QueryPlan(command.CommandText, steps));
        }

        return result;
    }
}

/// <summary>A query's text and the steps of SQLite's plan for it (the detail column of EXPLAIN QUERY PLAN).</summary>
public sealed record QueryPlan(string Sql, IReadOnlyList<string> Steps);
