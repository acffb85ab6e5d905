using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks;

/// <summary>One entry of <c>SubscribeAccountList</c> in the subscriber callbacks (60799, 60800, 60802).</summary>
public sealed record SubscribeAccountEntry([property: JsonPropertyName("Subscriber_Account")] string? SubscriberAccount);
