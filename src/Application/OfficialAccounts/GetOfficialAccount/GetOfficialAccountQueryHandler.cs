using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.OfficialAccounts.GetOfficialAccount;

public sealed class GetOfficialAccountQueryHandler(IOfficialAccountReader reader)
    : IRequestHandler<GetOfficialAccountQuery, OfficialAccount>
{
    public async Task<OfficialAccount> Handle(GetOfficialAccountQuery request, CancellationToken cancellationToken) =>
        await reader.GetAsync(request.SdkAppId, request.OfficialAccount, cancellationToken)
        ?? throw new NotFoundException($"No official account '{request.OfficialAccount}' is known in app {request.SdkAppId}.");
}
