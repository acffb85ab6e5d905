namespace CleanChat.TestSupport;

/// <summary>
/// One line of Tencent's documented sample bodies (<c>Data/tencent-callback-samples.jsonl</c>): the command the
/// query names, where Tencent prints it, and the body exactly as the line holds it.
/// </summary>
public sealed record CorpusSample(int Line, string Command, string Source, string Body)
{
    public override string ToString() => $"line {Line}: {Command} ({Source})";
}
