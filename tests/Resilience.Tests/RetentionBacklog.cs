using CleanChat.Infrastructure.Retention;
using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// A backlog of old events for the retention job, written straight into a migrated store of either engine (received
/// 40 days ago, sequences 1 to N), and what the store and the archive must show of it.
/// </summary>
public static class RetentionBacklog
{
    /// <summary>A MaxAge the backlog is older than, and anything received during the test younger.</summary>
    public const string MaxAge = "30.00:00:00";

    public static void Seed(ITestDatabase database, int count)
    {
        var old = DateTimeOffset.UtcNow.AddDays(-40).ToUnixTimeMilliseconds();
        // One statement: sequences 1..count in order, as the store's own identity hands them out.
        var sql = database.Engine == TestDatabases.Sqlite
            ? $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
                INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, event_time, receive_time,
                    payload_json, delivery_key)
                SELECT '1400000000', 'OfficialAccount.CallbackAfterOfficialAccountDestroyed', '@TOA#_' || i, {old} + i, {old} + i,
                    '{"{"}"n":' || i || '{"}"}', 'backlog-' || i FROM n;
                SELECT 0
                """
            : $"""
                INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, event_time, receive_time,
                    payload_json, delivery_key)
                SELECT '1400000000', 'OfficialAccount.CallbackAfterOfficialAccountDestroyed', '@TOA#_' || i, {old} + i, {old} + i,
                    '{"{"}"n":' || i || '{"}"}', 'backlog-' || i FROM generate_series(1, {count}) AS i ORDER BY i;
                SELECT 0
                """;
        database.Scalar<long>(sql);
        Assert.Equal(count, database.Scalar<long>("SELECT MAX(sequence) FROM webhook_events"));
    }

    /// <summary>
    /// The floor, the events below it and the events from it up, read in one statement (one snapshot): on PostgreSQL a
    /// delete may commit between two separate reads.
    /// </summary>
    public static (long Floor, long Below, long Held) Floor(ITestDatabase database)
    {
        var row = database.Rows<(long, long, long)>("""
            SELECT f.first_sequence,
                   (SELECT COUNT(*) FROM webhook_events WHERE sequence < f.first_sequence),
                   (SELECT COUNT(*) FROM webhook_events WHERE sequence >= f.first_sequence)
            FROM retention_floor f WHERE f.id = 1
            """).Single();
        return row;
    }

    /// <summary>
    /// The archive holds sequences 1 to <paramref name="last"/>, each exactly once, in confirmed ranges that follow each
    /// other without a gap or an overlap, each file exactly its manifest's range; and nothing else (no unconfirmed or
    /// temporary file, no second manifest of a range). Returns the ranges.
    /// </summary>
    public static IReadOnlyList<ArchivedRange> AssertArchived(string folder, long last)
    {
        var ranges = new EventArchive(folder).Ranges();
        Assert.NotEmpty(ranges);
        Assert.Equal(1, ranges[0].First);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.Last + 1, pair.Second.First));
        Assert.Equal(last, ranges[^1].Last);
        foreach (var range in ranges)
        {
            var sequences = EventArchive.Read(Path.Combine(folder, range.File)).Select(e => e.Sequence).ToList();
            Assert.Equal(Enumerable.Range((int)range.First, (int)(range.Last - range.First + 1)).Select(i => (long)i), sequences);
            Assert.Equal(range.Count, sequences.Count);
        }

        var expected = ranges.SelectMany(r => new[] { r.File, EventArchive.ManifestName(r.First, r.Last) }).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        return ranges;
    }
}
