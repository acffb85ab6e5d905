using CleanChat.Infrastructure.Events;
using Npgsql;
using NpgsqlTypes;

namespace CleanChat.Infrastructure.Postgres.State;

/// <summary>Positional parameters for the writer's statements, typed so PostgreSQL never has to guess.</summary>
internal static class PostgresParameters
{
    /// <summary>Typed text goes through <see cref="StoredText"/>, so both engines store the same characters.</summary>
    public static NpgsqlParameter Text(string? value) => Verbatim(StoredText.Clean(value));

    /// <summary>Text stored exactly as received (the raw body).</summary>
    public static NpgsqlParameter Verbatim(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Texts(IReadOnlyList<string> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = StoredText.Clean(values) };

    public static NpgsqlParameter Bigint(long? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Bigint(bool value) => Bigint(value ? 1 : 0);
}
