using System.Globalization;
using System.Text.RegularExpressions;

namespace CleanChat.Outage;

/// <summary>
/// What a node's log (plain text, one line per event, prefixed by its UTC time and level) says about its spool: when it
/// began spooling, each time it was empty again (how many callbacks it drained, in how long), and the other warnings
/// and errors it wrote, which a clean run should not have.
/// </summary>
internal sealed partial class NodeLog
{
    // Also in the readiness check's warning while the node spools: expected during an outage, not a problem.
    private const string SpoolsLine = "callbacks go to the spool";
    private const string WaitingLine = "The database does not answer";

    /// <summary>Each time the node began to spool: when, how many callbacks the commit held, and why it was not committed.</summary>
    public List<(DateTime At, int Count, string Reason)> SpoolingStarts { get; } = [];
    public List<(DateTime At, long Count, double Seconds)> Emptied { get; } = [];
    public int WaitingLines { get; private set; }
    public List<string> OtherProblems { get; } = [];
    public int OtherProblemCount { get; private set; }

    public static NodeLog Read(string path)
    {
        var log = new NodeLog();
        foreach (var line in File.ReadLines(path))
        {
            var at = TimeOf(line);
            if (Spooling().Match(line) is { Success: true } spooling && at is { } started)
            {
                log.SpoolingStarts.Add((started, int.Parse(spooling.Groups["count"].Value, CultureInfo.InvariantCulture), spooling.Groups["reason"].Value));
            }
            else if (EmptyAgain().Match(line) is { Success: true } empty && at is { } emptied)
            {
                log.Emptied.Add((emptied,
                    long.Parse(empty.Groups["count"].Value, CultureInfo.InvariantCulture),
                    double.Parse(empty.Groups["seconds"].Value, CultureInfo.InvariantCulture)));
            }
            else if (line.Contains(WaitingLine, StringComparison.Ordinal))
            {
                log.WaitingLines++;
            }
            else if (line.Contains(SpoolsLine, StringComparison.Ordinal))
            {
                // The readiness check saying, once a second, that the node spools.
            }
            else if (Problem().IsMatch(line))
            {
                // The outage's expected lines are above; anything else at warning or worse is worth a look.
                log.OtherProblemCount++;
                if (log.OtherProblems.Count < 3)
                {
                    log.OtherProblems.Add(line.Length > 400 ? line[..400] + "…" : line);
                }
            }
        }

        return log;
    }

    // "2025-01-02 03:04:05.678 WRN Category: message": the prefix bench/outage.sh's nodes write (AddConsoleLog).
    private static DateTime? TimeOf(string line) =>
        line.Length >= 23 && DateTime.TryParseExact(line.AsSpan(0, 23), "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    [GeneratedRegex(@"A commit of (?<count>\d+) callbacks did not reach the database \((?<reason>.*)\); callbacks go to the spool")]
    private static partial Regex Spooling();

    [GeneratedRegex(@"The spool is empty again: (?<count>\d+) callbacks drained to the database in (?<seconds>[0-9.]+) s")]
    private static partial Regex EmptyAgain();

    [GeneratedRegex(@"^\S+ \S+ (WRN|ERR|CRI|Warning|Error|Critical)\b|^(warn|fail|crit):|Unhandled exception")]
    private static partial Regex Problem();
}
