using System.Globalization;
using System.Text.RegularExpressions;

namespace CleanChat.Resilience.Tests;

/// <summary>Values from a host's Prometheus endpoint (<c>/metrics</c>): the server's own account of what it is doing.</summary>
public static partial class ServerMetrics
{
    /// <summary>
    /// The sum of <paramref name="metric"/> over the series whose labels include <paramref name="label"/> (e.g.
    /// <c>http_request_method="POST"</c>), or over all of them; 0 when there is none yet.
    /// </summary>
    public static async Task<double> SumAsync(Uri endpoint, string metric, string? label = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var scrape = await http.GetStringAsync(new Uri(endpoint, "/metrics"));
        return Sample().Matches(scrape)
            .Where(m => m.Groups["name"].Value == metric && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Requests <paramref name="endpoint"/>'s host is serving now with <paramref name="method"/> (ASP.NET Core's <c>http.server.active_requests</c>).</summary>
    public static async Task<int> ActiveRequestsAsync(Uri endpoint, string method) =>
        (int)await SumAsync(endpoint, "http_server_active_requests", $"http_request_method=\"{method}\"");

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
