namespace CleanChat.Application.Common.Interfaces;

/// <summary>Filters for listing events; a null filter matches everything.</summary>
public sealed record WebhookEventFilter(string? SdkAppId, string? OfficialAccount, string? CallbackCommand);
