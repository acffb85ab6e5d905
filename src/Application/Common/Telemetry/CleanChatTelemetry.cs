using System.Diagnostics;

namespace CleanChat.Application.Common.Telemetry;

/// <summary>
/// The one name CleanChat's meter and activity source share, so each host subscribes with a single
/// <c>AddMeter</c>/<c>AddSource</c>.
/// </summary>
public static class CleanChatTelemetry
{
    public const string Name = "CleanChat";

    public static readonly ActivitySource ActivitySource = new(Name);
}
