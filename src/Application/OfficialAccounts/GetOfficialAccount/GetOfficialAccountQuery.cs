using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.OfficialAccounts.GetOfficialAccount;

public sealed record GetOfficialAccountQuery(string SdkAppId, string OfficialAccount) : IRequest<OfficialAccount>;
