using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Common.Interfaces;

/// <summary>Filters for listing accounts; a null filter matches everything.</summary>
public sealed record OfficialAccountFilter(string? SdkAppId, string? OwnerAccount, OfficialAccountState? State);
