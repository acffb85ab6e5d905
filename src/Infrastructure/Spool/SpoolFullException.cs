using System.Globalization;

namespace CleanChat.Infrastructure.Spool;

/// <summary>A batch would take the spool past <c>Storage:Spool:MaxBytes</c>: its callbacks are answered 500, not OK.</summary>
internal sealed class SpoolFullException(string path, long bytes, long maxBytes) : Exception(string.Create(CultureInfo.InvariantCulture,
    $"The spool '{path}' holds {bytes} bytes of its {maxBytes} (Storage:Spool:MaxBytes): no room for more callbacks until it drains."));
