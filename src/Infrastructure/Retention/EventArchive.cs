using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CleanChat.Infrastructure.Retention;

/// <summary>
/// The archive folder: one gzip-compressed JSON-lines file per archived range, <c>events-&lt;first&gt;-&lt;last&gt;.jsonl.gz</c>,
/// and its manifest beside it. The manifest is the commit point: it is written (to a temporary name, flushed, renamed,
/// the folder flushed) only after the file was flushed the same way and read back with the right count. A range is
/// deleted from the log only once its manifest is on disk, so a crash anywhere loses nothing; and a file without its
/// manifest is removed before the range is written again, so nothing is archived twice.
/// </summary>
public sealed class EventArchive(string folder)
{
    private const string Prefix = "events-";
    private const string DataSuffix = ".jsonl.gz";
    private const string ManifestSuffix = ".manifest.json";
    private const string TemporarySuffix = ".tmp";

    private static readonly JsonSerializerOptions Json = new();
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public string Folder { get; } = folder;

    public static string FileName(long first, long last) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{first}-{last}{DataSuffix}");

    public static string ManifestName(long first, long last) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{first}-{last}{ManifestSuffix}");

    /// <summary>
    /// The range a previous run archived from <paramref name="first"/> and then did not delete (it stopped in between),
    /// checked again against its file; null when there is none. Unconfirmed leftovers from <paramref name="first"/> (a
    /// file without a manifest, temporary files) are removed, so the range can be written afresh without a duplicate.
    /// </summary>
    public ArchivedRange? FindFrom(long first)
    {
        EnsureFolder();
        var start = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{first}-");
        ArchivedRange? found = null;
        foreach (var manifest in Directory.EnumerateFiles(Folder, start + "*" + ManifestSuffix))
        {
            var range = JsonSerializer.Deserialize<ArchivedRange>(File.ReadAllBytes(manifest), Json);
            if (range is not null && range.First == first && Matches(range))
            {
                found = range;
            }
            else
            {
                File.Delete(manifest);
            }
        }

        foreach (var file in Directory.EnumerateFiles(Folder, start + "*"))
        {
            var name = Path.GetFileName(file);
            var confirmed = found is not null && (name == FileName(found.First, found.Last) || name == ManifestName(found.First, found.Last));
            if (!confirmed)
            {
                File.Delete(file);
            }
        }

        return found;
    }

    /// <summary>
    /// Writes <paramref name="events"/> (ascending, gap-free in the log) as one range and confirms it on disk. Writing
    /// a range that is already confirmed changes nothing.
    /// </summary>
    public ArchivedRange Write(IReadOnlyList<ArchivedEvent> events)
    {
        EnsureFolder();
        var (first, last) = (events[0].Sequence, events[^1].Sequence);
        var path = Path.Combine(Folder, FileName(first, last));
        var manifestPath = Path.Combine(Folder, ManifestName(first, last));
        if (File.Exists(manifestPath) && JsonSerializer.Deserialize<ArchivedRange>(File.ReadAllBytes(manifestPath), Json) is { } done && Matches(done))
        {
            return done;
        }

        WriteDurably(path, stream =>
        {
            using var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            foreach (var e in events)
            {
                JsonSerializer.Serialize(gzip, e, Json);
                gzip.Write(NewLine);
            }
        });

        // Read back before anything may be deleted: the count, the range, and the checksum the manifest records.
        var range = Check(path, first, last);
        if (range.Count != events.Count)
        {
            throw new IOException($"The archive file '{path}' read back {range.Count} events, not the {events.Count} written.");
        }

        WriteDurably(manifestPath, stream => JsonSerializer.Serialize(stream, range, Json));
        return range;
    }

    /// <summary>The confirmed ranges in the folder, in sequence order.</summary>
    public IReadOnlyList<ArchivedRange> Ranges()
    {
        EnsureFolder();
        return Directory.EnumerateFiles(Folder, Prefix + "*" + ManifestSuffix)
            .Select(m => JsonSerializer.Deserialize<ArchivedRange>(File.ReadAllBytes(m), Json))
            .OfType<ArchivedRange>()
            .OrderBy(r => r.First)
            .ToList();
    }

    /// <summary>The events of one archive file, as written.</summary>
    public static IEnumerable<ArchivedEvent> Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return JsonSerializer.Deserialize<ArchivedEvent>(line, Json)
                    ?? throw new InvalidDataException($"The archive file '{path}' holds a line that is not an event.");
            }
        }
    }

    private void EnsureFolder()
    {
        if (!Directory.Exists(Folder))
        {
            // Not created here: a missing folder is more often a mount that is not there than a folder to make.
            throw new DirectoryNotFoundException($"The archive folder '{Folder}' (Retention:ArchivePath) does not exist.");
        }
    }

    private bool Matches(ArchivedRange range)
    {
        var path = Path.Combine(Folder, range.File);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            var found = Check(path, range.First, range.Last);
            return found.Count == range.Count && found.Sha256 == range.Sha256;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            return false;
        }
    }

    private static ArchivedRange Check(string path, long first, long last)
    {
        var count = 0;
        var previous = first - 1;
        foreach (var e in Read(path))
        {
            if (e.Sequence <= previous || e.Sequence > last || (count == 0 && e.Sequence != first))
            {
                throw new InvalidDataException($"The archive file '{path}' holds sequence {e.Sequence} out of its range {first}-{last}.");
            }

            previous = e.Sequence;
            count++;
        }

        if (previous != last)
        {
            throw new InvalidDataException($"The archive file '{path}' ends at sequence {previous}, not {last}.");
        }

        using var file = File.OpenRead(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(file));
        return new ArchivedRange(first, last, count, sha, Path.GetFileName(path));
    }

    private void WriteDurably(string path, Action<Stream> write)
    {
        var temporary = path + TemporarySuffix;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        Fsync.Folder(Folder);
    }
}
