namespace CleanChat.Baseline.Reference;

/// <summary>
/// CleanChat's statements for a destroyed-account event, copied. A reference must not call the code it measures,
/// so these are copies, kept here in one place: when CleanChat's statements change, change these with them, or the
/// reference measures SQL CleanChat no longer runs. The schema is not copied: the reference applies CleanChat's own
/// migration scripts (see <see cref="MigrationScripts"/>).
/// </summary>
internal static class CleanChatSql
{
    // ---- SQLite: SqliteEventLogWriter.InsertEvent and SqliteAccountRows.Upsert. ----

    public const string SqliteInsertEvent = """
        INSERT INTO webhook_events (
            sdk_app_id, callback_command, official_account, owner_account, operator_account, name,
            event_time, receive_time, client_ip, opt_platform, opt_platform_raw, payload_json, delivery_key)
        VALUES (
            @SdkAppId, @CallbackCommand, @OfficialAccount, @OwnerAccount, @OperatorAccount, @Name,
            @EventTime, @ReceiveTime, @ClientIp, @OptPlatform, @OptPlatformRaw, @PayloadJson, @DeliveryKey)
        ON CONFLICT (delivery_key) DO NOTHING
        RETURNING sequence
        """;

    public static readonly string SqliteUpsertAccount = $$"""
        INSERT INTO official_accounts AS a (
            sdk_app_id, official_account, state, state_time, create_time, destroy_time,
            owner_account, owner_time, name, name_time, introduction, introduction_time,
            face_url, face_url_time, organization, organization_time, full_time,
            subscriber_count, last_message_time, last_event_time, last_event_sequence)
        VALUES (
            @SdkAppId, @OfficialAccount, COALESCE(@State, 0), @StateTime, @CreateTime, @DestroyTime,
            @OwnerAccount, @OwnerTime, @Name, @NameTime, @Introduction, @IntroductionTime,
            @FaceUrl, @FaceUrlTime, @Organization, @OrganizationTime, @FullTime,
            @SubscriberDelta, @LastMessageTime, @EventTime, @Sequence)
        ON CONFLICT (sdk_app_id, official_account) DO UPDATE SET
            -- The newest create or destroy decides the state; at the same time, destroyed (2) wins over active (1).
            state = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                THEN excluded.state ELSE a.state END,
            destroy_time = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                THEN excluded.destroy_time ELSE a.destroy_time END,
            state_time = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                THEN excluded.state_time ELSE a.state_time END,
            create_time = COALESCE(MAX(a.create_time, excluded.create_time), a.create_time, excluded.create_time),
            {{SqliteLastWriterWins("owner_account", "owner_time")}}
            {{SqliteLastWriterWins("name", "name_time")}}
            {{SqliteLastWriterWins("introduction", "introduction_time")}}
            {{SqliteLastWriterWins("face_url", "face_url_time")}}
            {{SqliteLastWriterWins("organization", "organization_time")}}
            full_time = COALESCE(MAX(a.full_time, excluded.full_time), a.full_time, excluded.full_time),
            subscriber_count = a.subscriber_count + excluded.subscriber_count,
            last_message_time = COALESCE(MAX(a.last_message_time, excluded.last_message_time), a.last_message_time, excluded.last_message_time),
            -- The newest event about the account; at the same time, the greater delivery key, so the same event
            -- whatever the order they arrived in.
            last_event_sequence = CASE WHEN excluded.last_event_time > a.last_event_time
                OR (excluded.last_event_time = a.last_event_time
                    AND @DeliveryKey > (SELECT delivery_key FROM webhook_events WHERE sequence = a.last_event_sequence))
                THEN excluded.last_event_sequence ELSE a.last_event_sequence END,
            last_event_time = MAX(a.last_event_time, excluded.last_event_time)
        """;

    private static string SqliteLastWriterWins(string field, string time)
    {
        var newer = $"(excluded.{time}, excluded.{field}) > (COALESCE(a.{time}, -1), COALESCE(a.{field}, ''))";
        return $"{field} = CASE WHEN {newer} THEN excluded.{field} ELSE a.{field} END,\n"
            + $"            {time} = CASE WHEN {newer} THEN excluded.{time} ELSE a.{time} END,";
    }

    // ---- PostgreSQL: PostgresEventLogWriter's commit lock, NOTIFY and insert, and the statement PostgresStateWriter
    // builds for an account change (InsertUnlessStored + NoSubscriberDelta + PostgresAccountRows.Upsert + SelectSequence). ----

    public const string PostgresTakeCommitLock = "SELECT pg_advisory_xact_lock(18932926497189735)";

    public const string PostgresNotify = "NOTIFY cleanchat_events";

    /// <summary>Parameters $1 to $13 the event, $14 to $32 the account's row.</summary>
    public static readonly string PostgresInsertEventAndAccount = """
        WITH inserted AS (
            INSERT INTO webhook_events (
                sdk_app_id, callback_command, official_account, owner_account, operator_account, name,
                event_time, receive_time, client_ip, opt_platform, opt_platform_raw, payload_json, delivery_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (delivery_key) DO NOTHING
            RETURNING sequence)
        """ + """
        , subscriber_delta AS (SELECT 0::bigint AS subscribers)
        """ + $$"""
        , account AS (
            INSERT INTO official_accounts AS a (
                sdk_app_id, official_account, state, state_time, create_time, destroy_time,
                owner_account, owner_time, name, name_time, introduction, introduction_time,
                face_url, face_url_time, organization, organization_time, full_time,
                subscriber_count, last_message_time, last_event_time, last_event_sequence)
            SELECT $14, $15, COALESCE($16, 0), $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30,
                   (SELECT subscribers FROM subscriber_delta), $31, $32, sequence
            FROM inserted
            ON CONFLICT (sdk_app_id, official_account) DO UPDATE SET
                -- The newest create or destroy decides the state; at the same time, destroyed (2) wins over active (1).
                state = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                    THEN excluded.state ELSE a.state END,
                destroy_time = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                    THEN excluded.destroy_time ELSE a.destroy_time END,
                state_time = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                    THEN excluded.state_time ELSE a.state_time END,
                create_time = GREATEST(a.create_time, excluded.create_time),
                {{PostgresLastWriterWins("owner_account", "owner_time")}}
                {{PostgresLastWriterWins("name", "name_time")}}
                {{PostgresLastWriterWins("introduction", "introduction_time")}}
                {{PostgresLastWriterWins("face_url", "face_url_time")}}
                {{PostgresLastWriterWins("organization", "organization_time")}}
                full_time = GREATEST(a.full_time, excluded.full_time),
                subscriber_count = a.subscriber_count + excluded.subscriber_count,
                last_message_time = GREATEST(a.last_message_time, excluded.last_message_time),
                -- The newest event about the account; at the same time, the greater delivery key, so the same event
                -- whatever the order they arrived in.
                last_event_sequence = CASE WHEN excluded.last_event_time > a.last_event_time
                    OR (excluded.last_event_time = a.last_event_time
                        AND $13 COLLATE "C" > (SELECT delivery_key FROM webhook_events WHERE sequence = a.last_event_sequence) COLLATE "C")
                    THEN excluded.last_event_sequence ELSE a.last_event_sequence END,
                last_event_time = GREATEST(a.last_event_time, excluded.last_event_time))
        """ + """
        SELECT sequence, FALSE FROM inserted
        UNION ALL
        SELECT sequence, TRUE FROM webhook_events WHERE delivery_key = $13 AND NOT EXISTS (SELECT FROM inserted)
        """;

    private static string PostgresLastWriterWins(string field, string time)
    {
        var newer = $"""(excluded.{time}, excluded.{field} COLLATE "C") > (COALESCE(a.{time}, -1), COALESCE(a.{field}, '') COLLATE "C")""";
        return $"{field} = CASE WHEN {newer} THEN excluded.{field} ELSE a.{field} END,\n"
            + $"                {time} = CASE WHEN {newer} THEN excluded.{time} ELSE a.{time} END,";
    }
}
