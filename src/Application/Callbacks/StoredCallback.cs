using System.Text;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using FluentValidation;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// A stored delivery of <typeparamref name="TBody"/>'s command, bound, validated and recorded as a live one is, but
/// only for its state change: nothing is appended.
/// </summary>
internal sealed class StoredCallback<TBody>(
    string callbackCommand, CallbackRegistry registry, IEnumerable<IValidator<Callback<TBody>>> validators, CallbackHandler<TBody> handler)
    : IStoredCallback
    where TBody : ICallbackBody
{
    private readonly IValidator<Callback<TBody>>[] _validators = validators.ToArray();

    public string CallbackCommand { get; } = callbackCommand;

    public StateChange? ChangeOf(WebhookEvent stored)
    {
        var envelope = new CallbackEnvelope(
            stored.SdkAppId, stored.CallbackCommand, stored.ClientIp, stored.OptPlatform, stored.ReceiveTime, stored.PayloadJson);
        Callback<TBody> request;
        try
        {
            request = (Callback<TBody>)registry.Bind(envelope, Encoding.UTF8.GetBytes(stored.PayloadJson));
        }
        catch (CallbackBodyException)
        {
            return null;
        }

        return _validators.All(v => v.Validate(request).IsValid) ? handler.Record(envelope, request.Body).Change : null;
    }
}
