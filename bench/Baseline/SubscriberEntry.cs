using System.Text.Json.Serialization;

namespace CleanChat.Baseline;

/// <summary>One entry of <c>SubscribeAccountList</c>.</summary>
public sealed record SubscriberEntry([property: JsonPropertyName("Subscriber_Account")] string? SubscriberAccount);
