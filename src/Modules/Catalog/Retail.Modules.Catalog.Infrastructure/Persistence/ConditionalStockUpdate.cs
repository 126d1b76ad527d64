using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Infrastructure.Persistence;

/// <summary>
/// Catalog's conditional stock write, <c>UPDATE Products SET Stock = @stock WHERE Id = @id AND Stock = @expected</c>, as one
/// command per context, created on first use and re-executed with new values (prepared once on SQLite). A feed batch or
/// a batch of stock webhooks sets up to hundreds of stocks in one transaction; EF's <c>ExecuteUpdate</c> paid its query
/// cache lookup, parameter extraction and a new command on every call, more than SQLite's update itself. The table,
/// column names and parameter types come from the EF model (so the text is right on either provider), and the command
/// runs on the context's connection in its current transaction, like <see cref="MultiRowInsert"/>.
/// </summary>
internal sealed class ConditionalStockUpdate(DbContext context) : IAsyncDisposable
{
    private DbCommand? _command;
    private DbParameter _stock = null!;
    private DbParameter _id = null!;
    private DbParameter _expected = null!;
    private RelationalTypeMapping _idMapping = null!;
    private RelationalTypeMapping _stockMapping = null!;

    /// <summary>True when the row had <paramref name="expected"/> and now has <paramref name="stock"/>; false when it had moved (or is gone).</summary>
    public async Task<bool> ExecuteAsync(Guid productId, int expected, int stock, CancellationToken cancellationToken)
    {
        var transaction = context.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The conditional stock update runs inside the unit of work's transaction.");
        if (_command is null)
        {
            await CreateAsync(transaction, productId, expected, stock, cancellationToken);
        }
        else
        {
            _command.Transaction = transaction;
            _stock.Value = ToProvider(_stockMapping, stock);
            _id.Value = ToProvider(_idMapping, productId);
            _expected.Value = ToProvider(_stockMapping, expected);
        }

        return await _command!.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask DisposeAsync()
    {
        if (_command is not null)
        {
            await _command.DisposeAsync();
        }
    }

    private static object? ToProvider(RelationalTypeMapping mapping, object value) =>
        mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;

    private async Task CreateAsync(DbTransaction transaction, Guid productId, int expected, int stock, CancellationToken cancellationToken)
    {
        var entityType = context.Model.FindEntityType(typeof(Product))!;
        var table = entityType.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var idProperty = entityType.FindProperty(nameof(Product.Id))!;
        var stockProperty = entityType.FindProperty(nameof(Product.Stock))!;
        var sql = context.GetService<ISqlGenerationHelper>();
        var stockColumn = sql.DelimitIdentifier(stockProperty.GetColumnName(store)!);
        var command = context.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE {sql.DelimitIdentifier(table, entityType.GetSchema())} SET {stockColumn} = @stock "
            + $"WHERE {sql.DelimitIdentifier(idProperty.GetColumnName(store)!)} = @id AND {stockColumn} = @expected";
        // The type mappings set each parameter up as EF would (a Guid as SQLite TEXT, say); later values are converted the
        // same way when the mapping has a converter.
        _idMapping = idProperty.GetRelationalTypeMapping();
        _stockMapping = stockProperty.GetRelationalTypeMapping();
        _stock = _stockMapping.CreateParameter(command, "@stock", stock, nullable: false);
        _id = _idMapping.CreateParameter(command, "@id", productId, nullable: false);
        _expected = _stockMapping.CreateParameter(command, "@expected", expected, nullable: false);
        command.Parameters.Add(_stock);
        command.Parameters.Add(_id);
        command.Parameters.Add(_expected);
        await command.PrepareAsync(cancellationToken);
        _command = command;
    }
}
