using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.AddSubscribersRequested;
using CleanChat.Application.Callbacks.CreateOfficialAccountRequested;
using CleanChat.Application.Callbacks.MessageSent;
using CleanChat.Application.Callbacks.MessagesWithdrawn;
using CleanChat.Application.Callbacks.OfficialAccountCreated;
using CleanChat.Application.Callbacks.OfficialAccountDestroyed;
using CleanChat.Application.Callbacks.OfficialAccountFull;
using CleanChat.Application.Callbacks.OfficialAccountInfoChanged;
using CleanChat.Application.Callbacks.SendMessageRequested;
using CleanChat.Application.Callbacks.SubscribersAdded;
using CleanChat.Application.Callbacks.SubscribersDeleted;
using CleanChat.Application.Callbacks.Unhandled;
using CleanChat.Application.Common.Behaviours;
using CleanChat.Application.Common.Ports;
using CleanChat.Application.Common.Paging;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Application.Events.GetWebhookEvent;
using CleanChat.Application.Events.GetWebhookEventStats;
using CleanChat.Application.Events.ListWebhookEvents;
using CleanChat.Application.Events.WatchWebhookEvents;
using CleanChat.Application.OfficialAccounts.GetOfficialAccount;
using CleanChat.Application.OfficialAccounts.ListOfficialAccountMessages;
using CleanChat.Application.OfficialAccounts.ListOfficialAccounts;
using CleanChat.Application.OfficialAccounts.ListOfficialAccountSubscribers;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using FluentValidation;
using MediatR;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1 has no DI package that restores here, so it is wired by hand: the mediator resolves
    /// handlers and behaviours through a <see cref="ServiceFactory"/> over this container.
    /// Handlers and validators are stateless, so they are singletons: no scope per webhook.
    /// A host then adds the requests it serves: <see cref="AddCallbacks"/> or <see cref="AddQueries"/>.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddSingleton<ServiceFactory>(provider => provider.GetService!);
        services.AddSingleton<IMediator, Mediator>();
        // Tracing first, so the span covers validation too and a refused request is still traced.
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(TracingBehaviour<,>));
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddSingleton<CleanChatMetrics>();
        return services;
    }

    /// <summary>The webhook host's requests: one command per callback, recorded through <see cref="IWebhookEventStore"/>.</summary>
    public static IServiceCollection AddCallbacks(this IServiceCollection services)
    {
        var callbacks = new CallbackRegistry();
        services.AddSingleton(callbacks);
        // The decision for Tencent's three "before" callbacks, in one place.
        services.AddSingleton<IBeforeCallbackPolicy, AllowEveryBeforeCallback>();

        // One line per callback command: its body type, its handler and its validator.
        services.AddCallback<CreateOfficialAccountRequested, CreateOfficialAccountRequestedHandler, CreateOfficialAccountRequestedValidator>(
            callbacks, CallbackCommands.BeforeCreateOfficialAccount);
        services.AddCallback<OfficialAccountCreated, OfficialAccountCreatedHandler, OfficialAccountCreatedValidator>(
            callbacks, CallbackCommands.AfterCreateOfficialAccount);
        services.AddCallback<OfficialAccountInfoChanged, OfficialAccountInfoChangedHandler, OfficialAccountInfoChangedValidator>(
            callbacks, CallbackCommands.AfterOfficialAccountInfoChanged);
        services.AddCallback<OfficialAccountDestroyed, OfficialAccountDestroyedHandler, OfficialAccountDestroyedValidator>(
            callbacks, CallbackCommands.AfterOfficialAccountDestroyed);
        services.AddCallback<AddSubscribersRequested, AddSubscribersRequestedHandler, AddSubscribersRequestedValidator>(
            callbacks, CallbackCommands.BeforeAddSubscriber);
        services.AddCallback<SubscribersAdded, SubscribersAddedHandler, SubscribersAddedValidator>(
            callbacks, CallbackCommands.AfterAddSubscriber);
        services.AddCallback<OfficialAccountFull, OfficialAccountFullHandler, OfficialAccountFullValidator>(
            callbacks, CallbackCommands.AfterOfficialAccountFull);
        services.AddCallback<SubscribersDeleted, SubscribersDeletedHandler, SubscribersDeletedValidator>(
            callbacks, CallbackCommands.AfterDeleteSubscriber);
        services.AddCallback<SendMessageRequested, SendMessageRequestedHandler, SendMessageRequestedValidator>(
            callbacks, CallbackCommands.BeforeSendMsg);
        services.AddCallback<MessageSent, MessageSentHandler, MessageSentValidator>(
            callbacks, CallbackCommands.AfterSendMsg);
        services.AddCallback<MessagesWithdrawn, MessagesWithdrawnHandler, MessagesWithdrawnValidator>(
            callbacks, CallbackCommands.AfterMsgWithDraw);

        services.AddSingleton<StoredCallbacks>();

        // Every other command: recorded as it came.
        services.AddHandler<Callback<UnhandledCallback>, CallbackResult, UnhandledCallbackHandler, UnhandledCallbackValidator>();
        return services;
    }

    private static void AddCallback<TBody, THandler, TValidator>(this IServiceCollection services, CallbackRegistry callbacks, string callbackCommand)
        where TBody : class, ICallbackBody
        where THandler : CallbackHandler<TBody>
        where TValidator : class, IValidator<Callback<TBody>>
    {
        callbacks.Map<TBody>(callbackCommand);
        services.AddHandler<Callback<TBody>, CallbackResult, THandler, TValidator>();
        // The same callback for a delivery read back from the log (StoredCallbacks).
        services.AddSingleton<IStoredCallback>(sp => new StoredCallback<TBody>(
            callbackCommand,
            callbacks,
            sp.GetServices<IValidator<Callback<TBody>>>(),
            (THandler)sp.GetRequiredService<IRequestHandler<Callback<TBody>, CallbackResult>>()));
    }

    private static void AddHandler<TRequest, TResponse, THandler, TValidator>(this IServiceCollection services)
        where TRequest : IRequest<TResponse>
        where THandler : class, IRequestHandler<TRequest, TResponse>
        where TValidator : class, IValidator<TRequest>
    {
        services.AddSingleton<IRequestHandler<TRequest, TResponse>, THandler>();
        services.AddSingleton<IValidator<TRequest>, TValidator>();
    }

    /// <summary>The gRPC host's requests: the queries over the event log and the accounts.</summary>
    public static IServiceCollection AddQueries(this IServiceCollection services)
    {
        services.AddHandler<GetWebhookEventQuery, WebhookEvent, GetWebhookEventQueryHandler, GetWebhookEventQueryValidator>();
        services.AddHandler<ListWebhookEventsQuery, Page<WebhookEvent>, ListWebhookEventsQueryHandler, ListWebhookEventsQueryValidator>();
        services.AddHandler<WatchWebhookEventsQuery, IAsyncEnumerable<IReadOnlyList<WebhookEvent>>, WatchWebhookEventsQueryHandler, WatchWebhookEventsQueryValidator>();
        services.AddHandler<GetWebhookEventStatsQuery, WebhookEventStats, GetWebhookEventStatsQueryHandler, GetWebhookEventStatsQueryValidator>();
        services.AddHandler<GetOfficialAccountQuery, OfficialAccount, GetOfficialAccountQueryHandler, GetOfficialAccountQueryValidator>();
        services.AddHandler<ListOfficialAccountsQuery, Page<OfficialAccount>, ListOfficialAccountsQueryHandler, ListOfficialAccountsQueryValidator>();
        services.AddHandler<ListOfficialAccountSubscribersQuery, Page<OfficialAccountSubscriber>, ListOfficialAccountSubscribersQueryHandler, ListOfficialAccountSubscribersQueryValidator>();
        services.AddHandler<ListOfficialAccountMessagesQuery, Page<OfficialAccountMessage>, ListOfficialAccountMessagesQueryHandler, ListOfficialAccountMessagesQueryValidator>();
        return services;
    }
}
