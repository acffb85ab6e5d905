using System.Globalization;

namespace CleanChat.WatchLag;

internal sealed record Options(
    string WebhookDll,
    string GrpcDll,
    int Events,
    int Concurrency,
    int Watchers,
    int PauseMilliseconds,
    int Rate,
    int WarmUpEvents,
    double MaxP99Milliseconds,
    string Engine,
    string? Connection,
    int ClockTicksPerSecond)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Text(string key) => values.TryGetValue(key, out var v) ? v : throw new ArgumentException($"--{key} is required.");
        int Number(string key, int fallback) =>
            values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        var engine = values.GetValueOrDefault("engine", "sqlite");
        if (engine is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--engine is sqlite or postgres.");
        }

        return new Options(
            Text("webhook-dll"),
            Text("grpc-dll"),
            Number("events", 1000),
            Number("concurrency", 4),
            Number("watchers", 1),
            Number("pause-ms", 0),
            Number("rate", 0),
            Number("warmup", 100),
            Number("max-p99-ms", 250),
            engine,
            engine == "postgres" ? Text("connection") : null,
            Number("clock-ticks", 100));
    }
}
