using MediatR;

namespace CleanChat.Application.Callbacks;

/// <summary>The MediatR command for one callback delivery: its envelope and its typed body.</summary>
public sealed record Callback<TBody>(CallbackEnvelope Envelope, TBody Body) : IRequest<CallbackResult>
    where TBody : ICallbackBody;
