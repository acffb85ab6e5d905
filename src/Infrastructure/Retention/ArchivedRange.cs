using System.Text.Json.Serialization;

namespace CleanChat.Infrastructure.Retention;

/// <summary>
/// An archive file's manifest (<c>events-&lt;first&gt;-&lt;last&gt;.manifest.json</c>, beside it): what the file was
/// checked to hold when it was read back. A file without its manifest was never confirmed, and is not relied on.
/// </summary>
public sealed record ArchivedRange(
    [property: JsonPropertyName("first_sequence")] long First,
    [property: JsonPropertyName("last_sequence")] long Last,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("file")] string File);
