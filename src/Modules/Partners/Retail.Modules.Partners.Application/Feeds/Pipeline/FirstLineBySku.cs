using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Retail.Modules.Partners.Application.Feeds.Pipeline;

/// <summary>
/// The line each SKU of a feed first appeared on, for duplicate detection over the whole feed: open addressing over a
/// 128-bit hash of the SKU (xxHash128) in flat arrays, no per-entry object and no SKU string kept. The table is split
/// into 256 segments chosen by the hash's top byte; a slot keeps the hash's low 64 bits and 32 more bits of its high
/// half (with the segment's byte: 104 bits of identity; a false duplicate among a million SKUs has a chance of about
/// 10^-19) and the line, 16 bytes. Segments grow by half at 75 % load, on their own, so a million-row feed costs ~26 MB
/// and growing never copies the whole table at once (a <c>Dictionary&lt;UInt128, int&gt;</c> with its 48-byte entries
/// took ~60 MB, plus the old copy while it doubled).
/// </summary>
internal sealed class FirstLineBySku
{
    private const int SegmentCount = 256;

    private readonly Segment[] _segments = new Segment[SegmentCount];

    public FirstLineBySku()
    {
        for (var i = 0; i < SegmentCount; i++)
        {
            _segments[i] = new Segment();
        }
    }

    public int Count { get; private set; }

    /// <summary>Records <paramref name="line"/> for the SKU unless it was seen before; then false with the first line.</summary>
    public bool TryAdd(string sku, int line, out int firstLine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(line, 1);
        var (low, high) = Hash(sku);
        if (!SegmentOf(high).TryAdd(low, high, line, out firstLine))
        {
            return false;
        }

        Count++;
        return true;
    }

    /// <summary>The line the SKU first appeared on, 0 when it did not.</summary>
    public int LineOf(string sku)
    {
        var (low, high) = Hash(sku);
        return SegmentOf(high).LineOf(low, high);
    }

    private static (ulong Low, ulong High) Hash(string sku)
    {
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(sku.AsSpan()));
        return ((ulong)hash, (ulong)(hash >> 64));
    }

    private Segment SegmentOf(ulong high) => _segments[(int)(high >> 56)];

    /// <summary>One open-addressing table (linear probing), grown by half at 75 % load.</summary>
    private sealed class Segment
    {
        private const double MaxLoad = 0.75;

        private ulong[] _low = new ulong[16];
        private uint[] _high = new uint[16];
        private int[] _lines = new int[16]; // 0 marks an empty slot (feed lines start at 1)
        private int _count;

        public bool TryAdd(ulong low, ulong highBits, int line, out int firstLine)
        {
            var high = (uint)highBits;
            var slot = Find(_low, _high, _lines, low, high);
            if (_lines[slot] != 0)
            {
                firstLine = _lines[slot];
                return false;
            }

            if (_count + 1 > _lines.Length * MaxLoad)
            {
                Grow();
                slot = Find(_low, _high, _lines, low, high);
            }

            _low[slot] = low;
            _high[slot] = high;
            _lines[slot] = line;
            _count++;
            firstLine = line;
            return true;
        }

        public int LineOf(ulong low, ulong highBits) => _lines[Find(_low, _high, _lines, low, (uint)highBits)];

        /// <summary>The slot holding the hash, or the empty slot where it belongs.</summary>
        private static int Find(ulong[] lows, uint[] highs, int[] lines, ulong low, uint high)
        {
            var slot = (int)(low % (ulong)lines.Length);
            while (lines[slot] != 0 && (lows[slot] != low || highs[slot] != high))
            {
                slot = slot + 1 == lines.Length ? 0 : slot + 1;
            }

            return slot;
        }

        private void Grow()
        {
            var size = _lines.Length + (_lines.Length / 2);
            var lows = new ulong[size];
            var highs = new uint[size];
            var lines = new int[size];
            for (var i = 0; i < _lines.Length; i++)
            {
                if (_lines[i] != 0)
                {
                    var slot = Find(lows, highs, lines, _low[i], _high[i]);
                    lows[slot] = _low[i];
                    highs[slot] = _high[i];
                    lines[slot] = _lines[i];
                }
            }

            (_low, _high, _lines) = (lows, highs, lines);
        }
    }
}
