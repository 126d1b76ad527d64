using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Retail.Testing;

/// <summary>
/// Asks SQLite how it will run each (async) query (EXPLAIN QUERY PLAN, on the same connection with the same parameters) on the
/// current async flow while a recording is open. Only single statements are explained (an EXPLAIN prefix on a batch would
/// explain its first statement and run the rest): SELECTs, and with <c>Record(writes: true)</c> also the DELETEs and
/// UPDATEs of ExecuteDelete/ExecuteUpdate.
/// </summary>
public sealed class QueryPlanLog : DbCommandInterceptor
{
    private readonly AsyncLocal<Recording?> _recording = new();

    /// <summary>Starts recording this flow's query plans (of SELECTs, and of DELETEs and UPDATEs when asked) into the returned list.</summary>
    public List<QueryPlan> Record(bool writes = false)
    {
        var recording = new Recording([], writes);
        _recording.Value = recording;
        return recording.Plans;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await ExplainAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await ExplainAsync(command, cancellationToken);
        return result;
    }

    private static bool Explained(string sql, Recording recording)
    {
        var statement = sql.TrimStart();
        bool Is(string verb) => statement.StartsWith(verb, StringComparison.OrdinalIgnoreCase);
        return !sql.Contains(';') && (Is("SELECT") || (recording.Writes && (Is("DELETE") || Is("UPDATE"))));
    }

    private async Task ExplainAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (_recording.Value is { } recording && Explained(command.CommandText, recording))
        {
            var plans = recording.Plans;
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
    }

    private sealed record Recording(List<QueryPlan> Plans, bool Writes);
}

/// <summary>A query's text and the steps of SQLite's plan for it (the detail column of EXPLAIN QUERY PLAN).</summary>
public sealed record QueryPlan(string Sql, IReadOnlyList<string> Steps);
