using System.Text.Json;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.MessageSent;
using CleanChat.Application.Callbacks.MessagesWithdrawn;
using CleanChat.Application.Callbacks.OfficialAccountCreated;
using CleanChat.Application.Callbacks.OfficialAccountDestroyed;
using CleanChat.Application.Callbacks.OfficialAccountFull;
using CleanChat.Application.Callbacks.OfficialAccountInfoChanged;
using CleanChat.Application.Callbacks.SubscribersAdded;
using CleanChat.Application.Callbacks.SubscribersDeleted;
using CleanChat.Application.Common.Ports;

namespace CleanChat.Infrastructure.Tests.Fold;

/// <summary>One callback of a generated history: its command, its typed body, and the body as Tencent would post it.</summary>
internal sealed record HistoryEvent(string Command, ICallbackBody Body)
{
    public string PayloadJson { get; } = JsonSerializer.Serialize(Body, Body.GetType(), CallbackJson.BodyOptions);

    /// <summary>What the callback's own handler records for this event, delivered to <paramref name="sdkAppId"/>.</summary>
    public RecordedCallback Record(string sdkAppId, IWebhookEventStore store)
    {
        var envelope = new CallbackEnvelope(sdkAppId, Command, "127.0.0.1", "RESTAPI", DateTimeOffset.UnixEpoch, PayloadJson);
        return Body switch
        {
            OfficialAccountCreated b => new OfficialAccountCreatedHandler(store).Record(envelope, b),
            OfficialAccountDestroyed b => new OfficialAccountDestroyedHandler(store).Record(envelope, b),
            OfficialAccountInfoChanged b => new OfficialAccountInfoChangedHandler(store).Record(envelope, b),
            OfficialAccountFull b => new OfficialAccountFullHandler(store).Record(envelope, b),
            SubscribersAdded b => new SubscribersAddedHandler(store).Record(envelope, b),
            SubscribersDeleted b => new SubscribersDeletedHandler(store).Record(envelope, b),
            MessageSent b => new MessageSentHandler(store).Record(envelope, b),
            MessagesWithdrawn b => new MessagesWithdrawnHandler(store).Record(envelope, b),
            _ => throw new InvalidOperationException($"{Body.GetType().Name} is not a state-changing callback."),
        };
    }

    public override string ToString() => PayloadJson;
}
