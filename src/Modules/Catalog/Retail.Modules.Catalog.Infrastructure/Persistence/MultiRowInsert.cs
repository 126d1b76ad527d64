using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Retail.Modules.Catalog.Infrastructure.Persistence;

/// <summary>
/// Set-based INSERT of new entities through EF: the table, columns, value converters and parameter types come from the
/// context's model and the provider's type mappings, identifiers are quoted by the provider's SQL generation helper, and
/// the statements run through <c>ExecuteSqlRaw</c> in the current transaction (so interceptors, logging and the unit of
/// work see them). EF's own SQLite batching sends one INSERT per entity; this sends one per
/// <see cref="MaxRowsPerStatement"/> entities, under SQL Server's limit of 2,100 parameters per statement.
/// </summary>
internal enum InsertStrategy
{
    /// <summary>One prepared single-row statement, executed per entity (SQLite).</summary>
    PreparedRows,

    /// <summary>Multi-row VALUES statements through EF's raw SQL (SQL Server and any other provider).</summary>
    MultiRowValues,
}

internal static class MultiRowInsert
{
    public const int MaxRowsPerStatement = 100;

    private const int MaxParametersPerStatement = 2000;

    private static readonly ConcurrentDictionary<IEntityType, InsertPlan> Plans = new();

    private static readonly string[] ParameterNames = CreateParameterNames(MaxParametersPerStatement);

    public static Task InsertAsync<TEntity>(DbContext context, IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
        where TEntity : class =>
        InsertAsync(context, entities, context.Database.IsSqlite() ? InsertStrategy.PreparedRows : InsertStrategy.MultiRowValues, cancellationToken);

    /// <summary>Inserts with the given strategy (tests run both on SQLite; the app picks by provider).</summary>
    public static async Task InsertAsync<TEntity>(DbContext context, IReadOnlyList<TEntity> entities, InsertStrategy strategy, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(entities);
        if (entities.Count == 0)
        {
            return;
        }

        var entityType = context.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not an entity of {context.GetType().Name}.");
        var plan = Plans.GetOrAdd(entityType, static (type, ctx) => InsertPlan.Create(type, ctx.GetService<ISqlGenerationHelper>()), context);
        if (strategy == InsertStrategy.PreparedRows)
        {
            await PreparedRowsAsync(context, plan, entities, cancellationToken);
        }
        else
        {
            await MultiRowValuesAsync(context, plan, entities, cancellationToken);
        }
    }

    /// <summary>
    /// SQLite: one prepared single-row INSERT executed once per entity on the context's connection and transaction. SQLite
    /// runs in-process (no round trips), so this is its fastest bulk path; Microsoft.Data.Sqlite binds parameters by name
    /// with a linear search, so one statement with thousands of parameters would cost quadratic time instead.
    /// </summary>
    private static async Task PreparedRowsAsync<TEntity>(DbContext context, InsertPlan plan, IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
        where TEntity : class
    {
        var transaction = context.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A set-based insert runs inside the unit of work's transaction.");
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = plan.Sql(1);
        var columns = plan.Columns;
        var parameters = new DbParameter[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            parameters[c] = columns[c].Mapping.CreateParameter(command, ParameterNames[c], columns[c].Getter.GetClrValueUsingContainingEntity(entities[0]), columns[c].Nullable);
            command.Parameters.Add(parameters[c]);
        }

        await command.PrepareAsync(cancellationToken);
        for (var row = 0; row < entities.Count; row++)
        {
            if (row > 0)
            {
                var entity = entities[row];
                for (var c = 0; c < columns.Length; c++)
                {
                    var value = columns[c].Getter.GetClrValueUsingContainingEntity(entity);
                    parameters[c].Value = ProviderValue(columns[c].Mapping, value);
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Other providers: multi-row VALUES through EF's raw SQL, up to <see cref="MaxRowsPerStatement"/> rows a statement.</summary>
    private static async Task MultiRowValuesAsync<TEntity>(DbContext context, InsertPlan plan, IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
        where TEntity : class
    {
        await using var factory = context.Database.GetDbConnection().CreateCommand();
        for (var start = 0; start < entities.Count; start += plan.RowsPerStatement)
        {
            var rows = Math.Min(plan.RowsPerStatement, entities.Count - start);
            var parameters = new object[rows * plan.Columns.Length];
            var index = 0;
            for (var row = start; row < start + rows; row++)
            {
                var entity = entities[row];
                foreach (var column in plan.Columns)
                {
                    parameters[index] = column.Mapping.CreateParameter(factory, ParameterNames[index], column.Getter.GetClrValueUsingContainingEntity(entity), column.Nullable);
                    index++;
                }
            }

            await context.Database.ExecuteSqlRawAsync(plan.Sql(rows), parameters, cancellationToken);
        }
    }

    /// <summary>A value as its column's type mapping stores it (through the mapping's converter, when it has one).</summary>
    internal static object ProviderValue(RelationalTypeMapping mapping, object? value) =>
        (value is null ? null : mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;

    private static string[] CreateParameterNames(int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = "@p" + i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private sealed record Column(RelationalTypeMapping Mapping, IClrPropertyGetter Getter, bool Nullable);

    /// <summary>The columns of one table and its INSERT text per row count (built once per count, then reused).</summary>
    private sealed class InsertPlan
    {
        private readonly string _prefix;
        private readonly string[] _placeholders;
        private readonly string?[] _sql;

        private InsertPlan(Column[] columns, string prefix, string[] placeholders, int rowsPerStatement)
        {
            Columns = columns;
            _prefix = prefix;
            _placeholders = placeholders;
            RowsPerStatement = rowsPerStatement;
            _sql = new string?[rowsPerStatement + 1];
        }

        public Column[] Columns { get; }

        public int RowsPerStatement { get; }

        public static InsertPlan Create(IEntityType entityType, ISqlGenerationHelper sql)
        {
            var table = entityType.GetTableName() ?? throw new InvalidOperationException($"{entityType.DisplayName()} is not mapped to a table.");
            var schema = entityType.GetSchema();
            var store = StoreObjectIdentifier.Table(table, schema);
            var properties = entityType.GetProperties().Where(p => p.GetColumnName(store) is not null).ToList();
            var columns = properties
                .Select(p => new Column(p.GetRelationalTypeMapping(), p.GetGetter(), p.IsNullable))
                .ToArray();
            var prefix = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table, schema)).Append(" (")
                .AppendJoin(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(store)!)))
                .Append(") VALUES ")
                .ToString();
            var rowsPerStatement = Math.Min(MaxRowsPerStatement, MaxParametersPerStatement / columns.Length);
            var placeholders = ParameterNames.Take(rowsPerStatement * columns.Length).ToArray();
            return new InsertPlan(columns, prefix, placeholders, rowsPerStatement);
        }

        public string Sql(int rows) => _sql[rows] ??= Build(rows);

        private string Build(int rows)
        {
            var text = new StringBuilder(_prefix, _prefix.Length + (rows * Columns.Length * 8));
            var index = 0;
            for (var row = 0; row < rows; row++)
            {
                text.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < Columns.Length; column++)
                {
                    if (column > 0)
                    {
                        text.Append(", ");
                    }

                    text.Append(_placeholders[index++]);
                }

                text.Append(')');
            }

            return text.Append(';').ToString();
        }
    }
}
