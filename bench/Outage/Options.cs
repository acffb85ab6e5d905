using System.Globalization;

namespace CleanChat.Outage;

/// <summary>One webhook node started by bench/outage.sh: its address, its process and its log file.</summary>
internal sealed record Node(int Number, Uri Address, int ProcessId, string LogPath);

/// <summary>
/// The command line bench/outage.sh passes: the nodes (<c>--webhook URL --pid PID --log FILE</c>, once per node, in
/// the same order), how to sign, how to stop and start PostgreSQL, and the load's shape.
/// </summary>
internal sealed record Options(
    IReadOnlyList<Node> Nodes,
    string Token,
    string AppId,
    string PgCtl,
    string PgData,
    string Database,
    int Rate,
    int OutageSeconds,
    int WarmUpSeconds,
    int TailSeconds,
    int MaxDrainSeconds,
    int DrainTargetSeconds,
    int ClockTicksPerSecond)
{
    public const string Usage = """
        usage: Outage --webhook URL --pid PID --log FILE [...once per node] --token TOKEN --pg-ctl PATH --pg-data FOLDER
                      --database CONNINFO [--app-id 1400000000] [--rate 300] [--outage 30] [--warmup 20] [--tail 5]
                      [--max-drain 300] [--drain-target 60] [--clock-ticks 100]
        """;

    public static Options Parse(string[] args)
    {
        var single = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string> webhooks = [], pids = [], logs = [];
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --option value, found '{args[i]}'.\n{Usage}");
            }

            var (key, value) = (args[i][2..], args[i + 1]);
            switch (key)
            {
                case "webhook": webhooks.Add(value); break;
                case "pid": pids.Add(value); break;
                case "log": logs.Add(value); break;
                default: single[key] = value; break;
            }
        }

        if (webhooks.Count == 0 || webhooks.Count != pids.Count || webhooks.Count != logs.Count)
        {
            throw new ArgumentException($"Give --webhook, --pid and --log once per node.\n{Usage}");
        }

        string Text(string key) => single.TryGetValue(key, out var v) ? v : throw new ArgumentException($"--{key} is required.\n{Usage}");
        int Number(string key, int fallback, int min)
        {
            var n = single.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return n >= min ? n : throw new ArgumentException($"--{key} must be at least {min}.");
        }

        var nodes = webhooks.Select((w, i) => new Node(i + 1, new Uri(w), int.Parse(pids[i], CultureInfo.InvariantCulture), logs[i])).ToList();
        return new Options(
            nodes,
            Text("token"),
            single.GetValueOrDefault("app-id", "1400000000"),
            Text("pg-ctl"),
            Text("pg-data"),
            Text("database"),
            Number("rate", 300, 1),
            Number("outage", 30, 1),
            Number("warmup", 20, 2),
            Number("tail", 5, 1),
            Number("max-drain", 300, 10),
            Number("drain-target", 60, 1),
            Number("clock-ticks", 100, 1));
    }
}
