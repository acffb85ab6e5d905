using System.Diagnostics;
using System.Threading.Channels;
using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Interfaces;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// The event log's single writer, with group commit: appends queue up while a commit is in flight, and the
/// next transaction takes all of them, so many concurrent webhooks share one fsync. A lone append commits
/// at once; nothing waits on a timer. Each caller is answered only after its own transaction committed.
/// </summary>
public sealed partial class WebhookEventStore(
    SqliteConnectionFactory connections,
    IOptions<StorageOptions> options,
    CleanChatMetrics metrics,
    ILogger<WebhookEventStore> logger) : IWebhookEventStore, IHostedService, IDisposable
{
    private const string InsertEvent = """
        INSERT INTO webhook_events (
            sdk_app_id, callback_command, official_account, owner_account, operator_account, name,
            event_time, receive_time, client_ip, opt_platform, opt_platform_raw, payload_json, delivery_key)
        VALUES (
            @SdkAppId, @CallbackCommand, @OfficialAccount, @OwnerAccount, @OperatorAccount, @Name,
            @EventTime, @ReceiveTime, @ClientIp, @OptPlatform, @OptPlatformRaw, @PayloadJson, @DeliveryKey)
        ON CONFLICT (delivery_key) DO NOTHING
        RETURNING sequence
        """;

    private const string SelectSequenceByDeliveryKey =
        "SELECT sequence FROM webhook_events WHERE delivery_key = @DeliveryKey";

    // An older event never overwrites newer state: the update applies only when it is at least as recent.
    private const string UpsertAccount = """
        INSERT INTO official_accounts (
            sdk_app_id, official_account, state, owner_account, name,
            create_time, destroy_time, last_event_time, last_event_sequence)
        VALUES (
            @SdkAppId, @OfficialAccount, @State, @OwnerAccount, @Name,
            @CreateTime, @DestroyTime, @EventTime, @Sequence)
        ON CONFLICT (sdk_app_id, official_account) DO UPDATE SET
            state = excluded.state,
            owner_account = COALESCE(excluded.owner_account, official_accounts.owner_account),
            name = COALESCE(excluded.name, official_accounts.name),
            create_time = COALESCE(excluded.create_time, official_accounts.create_time),
            destroy_time = excluded.destroy_time,
            last_event_time = excluded.last_event_time,
            last_event_sequence = excluded.last_event_sequence
        WHERE excluded.last_event_time >= official_accounts.last_event_time
        """;

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly int _maxBatchSize = options.Value.MaxBatchSize;
    private readonly string _synchronousPragma = options.Value.Synchronous == SynchronousMode.Normal
        ? "PRAGMA synchronous = NORMAL;"
        : "PRAGMA synchronous = FULL;";

    private Task? _writerLoop;
    private SqliteConnection? _connection;

    public Task<AppendResult> AppendAsync(WebhookEvent webhookEvent, OfficialAccountChange? change, CancellationToken cancellationToken)
    {
        // Once queued, the append goes ahead even if the caller gives up: the answer is the commit's.
        var pending = new PendingAppend(webhookEvent, change);
        return _queue.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<AppendResult>(new StorageUnavailableException(
                "The event log is shutting down.", new ChannelClosedException()));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writerLoop = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking appends, then commits everything already queued before returning.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writerLoop is not null)
        {
            await _writerLoop.WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _connection?.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(_maxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<PendingAppend> batch)
    {
        var results = new AppendResult[batch.Count];
        var started = Stopwatch.GetTimestamp();
        // The commit serves many requests, so it is linked to each of their spans rather than a child of one.
        using var activity = CleanChatTelemetry.ActivitySource.StartActivity(
            ActivityKind.Internal, parentContext: default, name: "commit",
            links: CleanChatTelemetry.ActivitySource.HasListeners() ? Links(batch) : null);
        activity?.SetTag("cleanchat.batch.size", batch.Count);
        try
        {
            var connection = _connection ??= OpenWriter();
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = Append(connection, transaction, batch[i]);
                }

                transaction.Commit();
            }

            // A directory moved or deleted under us leaves the commit in a file nobody will read again:
            // answer FAIL so Tencent redelivers, rather than OK for an event that is not at the path.
            if (!File.Exists(connections.DatabasePath))
            {
                throw new FileNotFoundException("The database file is no longer at its path.", connections.DatabasePath);
            }

            metrics.BatchCommitted(batch.Count, results.Count(r => r.Duplicate), Stopwatch.GetElapsedTime(started));
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception e)
        {
            // A failed batch fails only its own appends; the next batch starts on a fresh connection,
            // so the writer recovers by itself once the fault (disk full, read-only file...) is cleared.
            LogBatchFailed(batch.Count, e);
            metrics.BatchFailed(batch.Count, Stopwatch.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            _connection?.Dispose();
            _connection = null;
            var failure = new StorageUnavailableException("The event could not be committed to the database.", e);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(failure);
            }
        }
    }

    private static AppendResult Append(SqliteConnection connection, SqliteTransaction transaction, PendingAppend pending)
    {
        var e = pending.Event;
        var inserted = connection.QuerySingleOrDefault<long?>(InsertEvent, new
        {
            e.SdkAppId,
            e.CallbackCommand,
            e.OfficialAccount,
            e.OwnerAccount,
            e.OperatorAccount,
            e.Name,
            EventTime = e.EventTime?.ToUnixTimeMilliseconds(),
            ReceiveTime = e.ReceiveTime.ToUnixTimeMilliseconds(),
            e.ClientIp,
            OptPlatform = e.OptPlatform is null ? null : OptPlatforms.Name(e.Platform),
            OptPlatformRaw = e.OptPlatform,
            e.PayloadJson,
            e.DeliveryKey,
        }, transaction);

        if (inserted is not { } sequence)
        {
            // Same delivery already stored, in an earlier batch or earlier in this one.
            var existing = connection.ExecuteScalar<long>(SelectSequenceByDeliveryKey, new { e.DeliveryKey }, transaction);
            return new AppendResult(existing, Duplicate: true);
        }

        if (pending.Change is { } change)
        {
            var at = change.EventTime.ToUnixTimeMilliseconds();
            connection.Execute(UpsertAccount, new
            {
                change.SdkAppId,
                OfficialAccount = change.OfficialAccountId,
                State = (int)change.State,
                change.OwnerAccount,
                change.Name,
                CreateTime = change.State == OfficialAccountState.Active ? at : (long?)null,
                DestroyTime = change.State == OfficialAccountState.Destroyed ? at : (long?)null,
                EventTime = at,
                Sequence = sequence,
            }, transaction);
        }

        return new AppendResult(sequence, Duplicate: false);
    }

    private static List<ActivityLink>? Links(List<PendingAppend> batch)
    {
        List<ActivityLink>? links = null;
        foreach (var pending in batch)
        {
            if (pending.Caller is { } caller)
            {
                (links ??= []).Add(new ActivityLink(caller));
            }
        }

        return links;
    }

    private SqliteConnection OpenWriter()
    {
        var connection = connections.OpenExisting();
        connection.Execute(_synchronousPragma);
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} events failed")]
    private partial void LogBatchFailed(int count, Exception exception);

    private sealed class PendingAppend(WebhookEvent webhookEvent, OfficialAccountChange? change)
    {
        public WebhookEvent Event { get; } = webhookEvent;
        public OfficialAccountChange? Change { get; } = change;
        public ActivityContext? Caller { get; } = Activity.Current?.Context;
        public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
