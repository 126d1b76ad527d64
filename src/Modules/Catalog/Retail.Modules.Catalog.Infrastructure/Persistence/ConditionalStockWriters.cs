using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Infrastructure.Persistence;

/// <summary>
/// Catalog's conditional stock write, <c>UPDATE Products SET Stock = @stock WHERE Id = @id AND Stock = @expected</c>, as one
/// command created on the first change and re-executed with new values (prepared once on SQLite). A feed batch or a batch
/// of stock webhooks sets up to hundreds of stocks in one transaction; EF's <c>ExecuteUpdate</c> paid its query cache
/// lookup, parameter extraction and a new command every time. The table, column names and parameter types come from the
/// EF model, so the text is right on either provider.
/// <para>
/// The command belongs to the transaction it was created in and is disposed by the handler before its unit of work ends
/// (like <see cref="MultiRowInsert"/>'s): a command kept with the context outlived the connection's open period — EF
/// hands the SQLite handle back to the pool after each unit of work — and stock updates then stalled for the full busy
/// timeout (docs/benchmarks.md, session 19).
/// </para>
/// </summary>
internal sealed class PreparedStockWriter(DbContext context, DbTransaction transaction) : IConditionalStockWriter
{
    private DbCommand? _command;
    private DbParameter _stock = null!;
    private DbParameter _id = null!;
    private DbParameter _expected = null!;
    private RelationalTypeMapping _idMapping = null!;
    private RelationalTypeMapping _stockMapping = null!;

    public async Task<bool> SetIfUnchangedAsync(Guid productId, int expected, int stock, CancellationToken cancellationToken)
    {
        if (context.Database.CurrentTransaction?.GetDbTransaction() != transaction)
        {
            throw new InvalidOperationException("A stock writer is used only inside the transaction it was opened in.");
        }

        if (_command is null)
        {
            await CreateAsync(productId, expected, stock, cancellationToken);
        }
        else
        {
            _stock.Value = MultiRowInsert.ProviderValue(_stockMapping, stock);
            _id.Value = MultiRowInsert.ProviderValue(_idMapping, productId);
            _expected.Value = MultiRowInsert.ProviderValue(_stockMapping, expected);
        }

        return await _command!.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask DisposeAsync()
    {
        if (_command is not null)
        {
            await _command.DisposeAsync();
            _command = null;
        }
    }

    private async Task CreateAsync(Guid productId, int expected, int stock, CancellationToken cancellationToken)
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
        _command = command;
        await command.PrepareAsync(cancellationToken);
    }
}

/// <summary>Outside a transaction (no connection held open for a command): each change is EF's own UPDATE.</summary>
internal sealed class EfStockWriter(CatalogDbContext context) : IConditionalStockWriter
{
    public async Task<bool> SetIfUnchangedAsync(Guid productId, int expected, int stock, CancellationToken cancellationToken) =>
        await context.Products.Where(p => p.Id == productId && p.Stock == expected)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, stock), cancellationToken) == 1;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
