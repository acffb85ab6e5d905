using System.Globalization;
using System.Text.Json;

namespace CleanChat.TestSupport;

/// <summary>
/// Every request body Tencent prints as a sample on its Chat webhook pages, one per line of
/// <c>Data/tencent-callback-samples.jsonl</c> (how it was built: <c>Data/tencent-callback-samples.md</c>).
/// A line added to the file is one more sample for every test that reads it.
/// </summary>
public static class TencentCorpus
{
    public const string FileName = "tencent-callback-samples.jsonl";

    private static readonly Lazy<IReadOnlyList<CorpusSample>> All = new(Load);

    public static IReadOnlyList<CorpusSample> Samples => All.Value;

    public static CorpusSample Sample(int line) => Samples.Single(s => s.Line == line);

    private static List<CorpusSample> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", FileName);
        var samples = new List<CorpusSample>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var pages = root.GetProperty("pages").EnumerateArray().Select(p => p.GetInt32().ToString(CultureInfo.InvariantCulture)).ToList();
            var source = pages.Count > 0
                ? $"1047/{string.Join(",", pages)} {root.GetProperty("lang").GetString()}"
                : $"{root.GetProperty("other_pages")[0].GetString()} {root.GetProperty("lang").GetString()}";
            // The body's own text, byte for byte as the file has it: key order, spacing and number forms are Tencent's.
            samples.Add(new CorpusSample(lineNumber, root.GetProperty("command").GetString()!, source, root.GetProperty("body").GetRawText()));
        }

        return samples;
    }
}
