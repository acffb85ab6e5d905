using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Common.Filters;

/// <summary>Filters for listing accounts; a null filter matches everything, every one set must match.</summary>
public sealed record OfficialAccountFilter(
    string? SdkAppId = null,
    string? OwnerAccount = null,
    OfficialAccountState? State = null,
    TimeRange? DestroyTime = null);
