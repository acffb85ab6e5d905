using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.Events;
using CleanChat.Infrastructure.Persistence;
using Dapper;

namespace CleanChat.Infrastructure.Events;

public sealed class WebhookEventReader(ISqlConnectionFactory connections) : IWebhookEventReader
{
    internal const string Columns = """
        sequence AS Sequence, sdk_app_id AS SdkAppId, callback_command AS CallbackCommand,
        official_account AS OfficialAccount, owner_account AS OwnerAccount, operator_account AS OperatorAccount,
        name AS Name, event_time AS EventTime, receive_time AS ReceiveTime, client_ip AS ClientIp,
        opt_platform_raw AS OptPlatform, payload_json AS PayloadJson, delivery_key AS DeliveryKey
        """;

    private const string SelectBySequence = $"SELECT {Columns} FROM webhook_events WHERE sequence = @Sequence";

    private const string SelectPage = $"""
        SELECT {Columns} FROM webhook_events
        WHERE sequence < @Before
          AND (@SdkAppId IS NULL OR sdk_app_id = @SdkAppId)
          AND (@OfficialAccount IS NULL OR official_account = @OfficialAccount)
          AND (@CallbackCommand IS NULL OR callback_command = @CallbackCommand)
        ORDER BY sequence DESC
        LIMIT @Limit
        """;

    public async Task<WebhookEvent?> GetAsync(long sequence, CancellationToken cancellationToken)
    {
        using var connection = connections.OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<WebhookEventRow>(
            new CommandDefinition(SelectBySequence, new { Sequence = sequence }, cancellationToken: cancellationToken));
        return row?.ToDomain();
    }

    public async Task<IReadOnlyList<WebhookEvent>> ListAsync(
        WebhookEventFilter filter, long beforeSequence, int limit, CancellationToken cancellationToken)
    {
        using var connection = connections.OpenConnection();
        var rows = await connection.QueryAsync<WebhookEventRow>(new CommandDefinition(SelectPage, new
        {
            Before = beforeSequence,
            filter.SdkAppId,
            filter.OfficialAccount,
            filter.CallbackCommand,
            Limit = limit,
        }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDomain()).ToList();
    }
}
