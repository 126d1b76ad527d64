using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Retail.Modules.Partners.Application.Feeds.Pipeline;

/// <summary>
/// The line each SKU of a feed first appeared on, for duplicate detection over the whole feed in 20 bytes per slot: open
/// addressing over a 128-bit hash of the SKU (xxHash128) in three flat arrays, no per-entry object and no SKU string kept.
/// A million-row feed costs ~42 MB here (a <c>Dictionary&lt;UInt128, int&gt;</c> took ~60 MB, its 16-byte-aligned entries
/// being 48 bytes). A false duplicate would need a 128-bit collision: never, in practice.
/// </summary>
internal sealed class FirstLineBySku
{
    private const double MaxLoad = 0.7;

    private ulong[] _low;
    private ulong[] _high;
    private int[] _lines; // 0 marks an empty slot (feed lines start at 1)
    private int _count;

    public FirstLineBySku(int capacity = 1024)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _low = new ulong[size];
        _high = new ulong[size];
        _lines = new int[size];
    }

    public int Count => _count;

    /// <summary>Records <paramref name="line"/> for the SKU unless it was seen before; then false with the first line.</summary>
    public bool TryAdd(string sku, int line, out int firstLine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(line, 1);
        var hash = Hash(sku);
        var slot = Find(_low, _high, _lines, hash);
        if (_lines[slot] != 0)
        {
            firstLine = _lines[slot];
            return false;
        }

        if (_count + 1 > _lines.Length * MaxLoad)
        {
            Grow();
            slot = Find(_low, _high, _lines, hash);
        }

        _low[slot] = (ulong)hash;
        _high[slot] = (ulong)(hash >> 64);
        _lines[slot] = line;
        _count++;
        firstLine = line;
        return true;
    }

    /// <summary>The line the SKU first appeared on, 0 when it did not.</summary>
    public int LineOf(string sku) => _lines[Find(_low, _high, _lines, Hash(sku))];

    private static UInt128 Hash(string sku) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(sku.AsSpan()));

    /// <summary>The slot holding the hash, or the empty slot where it belongs (linear probing).</summary>
    private static int Find(ulong[] low, ulong[] high, int[] lines, UInt128 hash)
    {
        var mask = lines.Length - 1;
        var slot = (int)((ulong)hash & (ulong)mask);
        while (lines[slot] != 0 && (low[slot] != (ulong)hash || high[slot] != (ulong)(hash >> 64)))
        {
            slot = (slot + 1) & mask;
        }

        return slot;
    }

    private void Grow()
    {
        var size = _lines.Length * 2;
        var low = new ulong[size];
        var high = new ulong[size];
        var lines = new int[size];
        for (var i = 0; i < _lines.Length; i++)
        {
            if (_lines[i] != 0)
            {
                var hash = ((UInt128)_high[i] << 64) | _low[i];
                var slot = Find(low, high, lines, hash);
                low[slot] = _low[i];
                high[slot] = _high[i];
                lines[slot] = _lines[i];
            }
        }

        (_low, _high, _lines) = (low, high, lines);
    }
}
