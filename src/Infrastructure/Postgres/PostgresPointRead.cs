using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using CleanChat.Infrastructure.Persistence;
using Dapper;
using Npgsql;

namespace CleanChat.Infrastructure.Postgres;

/// <summary>
/// A point read on PostgreSQL. Calls that arrive together are read together: each waits in a queue, and a few
/// readers each take everything waiting and read it with one statement (<c>key = ANY(@Keys)</c>) on a pooled
/// connection, asynchronously. On a shared machine a round trip costs more in wake-ups and system calls, on both
/// sides, than the row it fetches: one per call was what kept this read at a fifth of the no-op's rate.
/// </summary>
internal sealed class PostgresPointRead<TRow> : IPointRead<TRow>
{
    // Two: one batch is on the server while the next gathers (other counts were not measured).
    private const int Readers = 2;
    private const int MaximumBatch = 256;
    // A pooled connection that a server restart cut fails on its first use; the pool may hold more than one.
    private const int Attempts = 4;

    private readonly NpgsqlDataSource _reads;
    private readonly string _sql;
    private readonly Func<TRow, long> _keyOf;
    private readonly Channel<Pending> _waiting = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private Func<DbDataReader, TRow>? _parse;

    public PostgresPointRead(NpgsqlDataSource reads, string select, string keyColumn, Func<TRow, long> keyOf)
    {
        _reads = reads;
        _sql = $"{select} WHERE {keyColumn} = ANY(@Keys)";
        _keyOf = keyOf;
        for (var i = 0; i < Readers; i++)
        {
            _ = Task.Run(ReadBatchesAsync);
        }
    }

    public ValueTask<TRow?> ReadAsync(long key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(key, cancellationToken);
        ObjectDisposedException.ThrowIf(!_waiting.Writer.TryWrite(pending), this);

        // A caller that gives up stops waiting at once; its key may still be read with the others.
        return new ValueTask<TRow?>(cancellationToken.CanBeCanceled ? pending.Answer.Task.WaitAsync(cancellationToken) : pending.Answer.Task);
    }

    // The readers end once what is waiting has been read.
    public void Dispose() => _waiting.Writer.TryComplete();

    private async Task ReadBatchesAsync()
    {
        var batch = new List<Pending>(MaximumBatch);
        while (await _waiting.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaximumBatch && _waiting.Reader.TryRead(out var pending))
            {
                if (!pending.CancellationToken.IsCancellationRequested)
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var rows = await ReadAsync(batch.Select(p => p.Key).Distinct().ToArray());
                foreach (var pending in batch)
                {
                    pending.Answer.TrySetResult(rows.GetValueOrDefault(pending.Key));
                }
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                {
                    pending.Answer.TrySetException(e);
                }
            }
        }
    }

    private async Task<Dictionary<long, TRow>> ReadAsync(long[] keys)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await _reads.OpenConnectionAsync();
            try
            {
                await using var command = new NpgsqlCommand(_sql, connection);
                command.Parameters.Add(new NpgsqlParameter<long[]>("Keys", keys));
                await using var reader = await command.ExecuteReaderAsync();
                // The statement never changes, so neither do its columns: Dapper builds the row mapper once.
                var parse = _parse ??= reader.GetRowParser<TRow>();
                var rows = new Dictionary<long, TRow>(keys.Length);
                while (await reader.ReadAsync())
                {
                    var row = parse(reader);
                    rows[_keyOf(row)] = row;
                }

                return rows;
            }
            catch (NpgsqlException) when (connection.State != ConnectionState.Open && attempt < Attempts)
            {
                // Broken before it answered (PostgreSQL restarted meanwhile): go again on another connection, rather
                // than answer UNAVAILABLE for a database that is back. A server still down fails again at once.
            }
        }
    }

    private sealed class Pending(long key, CancellationToken cancellationToken)
    {
        public long Key { get; } = key;
        public CancellationToken CancellationToken { get; } = cancellationToken;

        // Callers go on on their own threads, not on the reader's, which has the next batch to read.
        public TaskCompletionSource<TRow?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
