namespace CleanChat.Application.Common.Paging;

/// <param name="NextPageToken">Null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);
