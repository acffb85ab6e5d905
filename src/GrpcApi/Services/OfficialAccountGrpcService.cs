using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
using CleanChat.Application.OfficialAccounts.GetOfficialAccount;
using CleanChat.Application.OfficialAccounts.ListOfficialAccountMessages;
using CleanChat.Application.OfficialAccounts.ListOfficialAccounts;
using CleanChat.Application.OfficialAccounts.ListOfficialAccountSubscribers;
using CleanChat.Contracts.V1;
using OfficialAccountState = CleanChat.Domain.OfficialAccounts.OfficialAccountState;
using Grpc.Core;
using MediatR;

namespace CleanChat.GrpcApi.Services;

/// <summary>proto → MediatR query → proto; errors are mapped by the interceptor.</summary>
public sealed class OfficialAccountGrpcService(IMediator mediator) : OfficialAccountService.OfficialAccountServiceBase
{
    public override async Task<OfficialAccount> GetOfficialAccount(GetOfficialAccountRequest request, ServerCallContext context)
    {
        var found = await mediator.Send(
            new GetOfficialAccountQuery(request.SdkAppId, request.OfficialAccount), context.CancellationToken);
        return found.ToProto();
    }

    public override async Task<ListOfficialAccountsResponse> ListOfficialAccounts(ListOfficialAccountsRequest request, ServerCallContext context)
    {
        var state = request.State == OfficialAccount.Types.State.Unspecified ? (OfficialAccountState?)null : (OfficialAccountState)request.State;
        var filter = new OfficialAccountFilter(
            request.SdkAppId.NullIfEmpty(), request.OwnerAccount.NullIfEmpty(), state, request.DestroyTime.ToRange("destroy_time"));
        var page = await mediator.Send(
            new ListOfficialAccountsQuery(filter, request.PageSize, request.PageToken.NullIfEmpty()), context.CancellationToken);

        var response = new ListOfficialAccountsResponse { NextPageToken = page.NextPageToken() };
        response.OfficialAccounts.AddRange(page.Items.Select(a => a.ToProto()));
        return response;
    }

    public override async Task<ListOfficialAccountSubscribersResponse> ListOfficialAccountSubscribers(
        ListOfficialAccountSubscribersRequest request, ServerCallContext context)
    {
        var account = new OfficialAccountKey(request.SdkAppId, request.OfficialAccount);
        var page = await mediator.Send(
            new ListOfficialAccountSubscribersQuery(account, request.PageSize, request.PageToken.NullIfEmpty()), context.CancellationToken);

        var response = new ListOfficialAccountSubscribersResponse { NextPageToken = page.NextPageToken() };
        response.Subscribers.AddRange(page.Items.Select(s => s.ToProto()));
        return response;
    }

    public override async Task<ListOfficialAccountMessagesResponse> ListOfficialAccountMessages(
        ListOfficialAccountMessagesRequest request, ServerCallContext context)
    {
        var filter = new OfficialAccountMessageFilter(request.SdkAppId, request.OfficialAccount, request.MsgTime.ToRange("msg_time"));
        var page = await mediator.Send(
            new ListOfficialAccountMessagesQuery(filter, request.PageSize, request.PageToken.NullIfEmpty()), context.CancellationToken);

        var response = new ListOfficialAccountMessagesResponse { NextPageToken = page.NextPageToken() };
        response.Messages.AddRange(page.Items.Select(m => m.ToProto()));
        return response;
    }
}
