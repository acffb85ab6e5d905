using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CleanChat.Outage;

/// <summary>
/// What a node's log (plain text, one line per event, prefixed by its UTC time and level) says about its spool: when it
/// began spooling, each time it was empty again (how many callbacks it drained, in how long), and the other warnings
/// and errors it wrote, which a clean run should not have. Read as it grows (<see cref="ReadNew"/>), so that the end of
/// a drain is seen even while the node is too busy to answer <c>/metrics</c>.
/// </summary>
internal sealed partial class NodeLog(string path)
{
    // Also in the readiness check's warning while the node spools: expected during an outage, not a problem.
    private const string SpoolsLine = "callbacks go to the spool";
    private const string WaitingLine = "The database does not answer";

    private long _offset;

    /// <summary>Each time the node began to spool: when, how many callbacks the commit held, and why it was not committed.</summary>
    public List<(DateTime At, int Count, string Reason)> SpoolingStarts { get; } = [];
    public List<(DateTime At, long Count, double Seconds)> Emptied { get; } = [];
    public int WaitingLines { get; private set; }
    public List<string> OtherProblems { get; } = [];
    public int OtherProblemCount { get; private set; }

    /// <summary>True when the node's last word on its spool is that it is empty again, or when it never spooled.</summary>
    public bool SaysEmpty =>
        SpoolingStarts.Count == 0 || (Emptied.Count > 0 && Emptied[^1].At >= SpoolingStarts[^1].At);

    /// <summary>Reads the lines written since the last call; a line still being written waits for the next.</summary>
    public void ReadNew()
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Seek(_offset, SeekOrigin.Begin);
        var bytes = new byte[file.Length - _offset];
        file.ReadExactly(bytes);
        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        _offset += complete;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, complete).Split('\n'))
        {
            Parse(line);
        }
    }

    private void Parse(string line)
    {
        // "2025-01-02 03:04:05.678 INF Category: message": most lines are a webhook's, at INF, and say nothing here.
        if (line.Length == 0 || (line.Length >= 28 && line.AsSpan(24, 4).SequenceEqual("INF ")))
        {
            return;
        }

        var at = TimeOf(line);
        if (Spooling().Match(line) is { Success: true } spooling && at is { } started)
        {
            SpoolingStarts.Add((started, int.Parse(spooling.Groups["count"].Value, CultureInfo.InvariantCulture), spooling.Groups["reason"].Value));
        }
        else if (EmptyAgain().Match(line) is { Success: true } empty && at is { } emptied)
        {
            Emptied.Add((emptied,
                long.Parse(empty.Groups["count"].Value, CultureInfo.InvariantCulture),
                double.Parse(empty.Groups["seconds"].Value, CultureInfo.InvariantCulture)));
        }
        else if (line.Contains(WaitingLine, StringComparison.Ordinal))
        {
            WaitingLines++;
        }
        else if (line.Contains(SpoolsLine, StringComparison.Ordinal))
        {
            // The readiness check saying, once a second, that the node spools.
        }
        else if (Problem().IsMatch(line))
        {
            // The outage's expected lines are above; anything else at warning or worse is worth a look.
            OtherProblemCount++;
            if (OtherProblems.Count < 3)
            {
                OtherProblems.Add(line.Length > 400 ? line[..400] + "…" : line);
            }
        }
    }

    // The prefix the nodes write (AddConsoleLog's plain text): UTC, to the millisecond.
    private static DateTime? TimeOf(string line) =>
        line.Length >= 23 && DateTime.TryParseExact(line.AsSpan(0, 23), "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    [GeneratedRegex(@"A commit of (?<count>\d+) callbacks did not reach the database \((?<reason>.*)\); callbacks go to the spool")]
    private static partial Regex Spooling();

    [GeneratedRegex(@"The spool is empty again: (?<count>\d+) callbacks drained to the database in (?<seconds>[0-9.]+) s")]
    private static partial Regex EmptyAgain();

    [GeneratedRegex(@"^\S+ \S+ (WRN|ERR|CRI)\b|Unhandled exception")]
    private static partial Regex Problem();
}
