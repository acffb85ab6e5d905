using System.Net;
using System.Text.Json;
using CleanChat.TestSupport;
using Microsoft.Data.Sqlite;

namespace CleanChat.WebhookApi.Tests;

public sealed class StorageFaultTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly WebhookApiFactory _host;

    public StorageFaultTests() => _host = new WebhookApiFactory(_database);

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task An_event_that_cannot_be_stored_gets_fail_and_500_while_the_others_are_ok()
    {
        var first = await _host.PostAsync(TencentSample.Query, TencentSample.DestroyedBody("@TOA#_first", 1));
        RefusePoisonedAccounts();

        var responses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            _host.PostAsync(TencentSample.Query, TencentSample.DestroyedBody(i % 5 == 0 ? $"@TOA#_poison_{i}" : $"@TOA#_good_{i}", i))));
        var last = await _host.PostAsync(TencentSample.Query, TencentSample.DestroyedBody("@TOA#_last", 1));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        for (var i = 1; i <= 20; i++)
        {
            var response = responses[i - 1];
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var poisoned = i % 5 == 0;
            Assert.Equal(poisoned ? HttpStatusCode.InternalServerError : HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(poisoned ? "FAIL" : "OK", answer.GetProperty("ActionStatus").GetString());
            Assert.Equal(poisoned ? 50000 : 0, answer.GetProperty("ErrorCode").GetInt32());
        }

        Assert.Equal(18, _database.CountEvents());
    }

    /// <summary>A trigger in the database file (DDL takes no parameters), so the storage fault is SQLite's own.</summary>
    private void RefusePoisonedAccounts()
    {
        using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TRIGGER refuse_for_test BEFORE INSERT ON webhook_events
            WHEN NEW.official_account LIKE '@TOA#_poison%'
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
            """;
        command.ExecuteNonQuery();
    }
}
