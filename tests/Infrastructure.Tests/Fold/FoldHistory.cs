using System.Text.Json;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.MessageSent;
using CleanChat.Application.Callbacks.MessagesWithdrawn;
using CleanChat.Application.Callbacks.OfficialAccountCreated;
using CleanChat.Application.Callbacks.OfficialAccountDestroyed;
using CleanChat.Application.Callbacks.OfficialAccountFull;
using CleanChat.Application.Callbacks.OfficialAccountInfoChanged;
using CleanChat.Application.Callbacks.SubscribersAdded;
using CleanChat.Application.Callbacks.SubscribersDeleted;
using CleanChat.Domain.Callbacks;

namespace CleanChat.Infrastructure.Tests.Fold;

/// <summary>
/// Random histories of the state-changing callbacks over two accounts, four users and four messages. Event times
/// come from twelve values, so many events share a millisecond and the tie rules are exercised too.
/// </summary>
internal static class FoldHistory
{
    private static readonly string[] Accounts = ["@TOA#_a", "@TOA#_b"];
    private static readonly string[] Users = ["u1", "u2", "u3", "u4"];
    private static readonly string[] MsgKeys = ["1_1_1698741601", "2_1_1698741602", "3_1_1698741603", "4_1_1698741604"];
    private static readonly string[] Owners = ["o1", "o2"];
    private static readonly string?[] Names = ["n1", "n2", "n3"];
    private static readonly string?[] Profile = [null, "", "p1", "p2"];
    private static readonly string?[] CloudData = [null, "", "c1", "c2"];
    private static readonly string?[] Bodies = [null, """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"a"}}]""", """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"b"}}]"""];
    private static readonly long[] MsgTimes = [1_490_686_222, 1_490_686_223, 1_698_741_698_000];

    public static List<HistoryEvent> Generate(Random random, int count)
    {
        var history = new List<HistoryEvent>(count);
        // Create and destroy are keyed by (command, account, time): two of them there would be one event delivered twice.
        var accountEvents = new HashSet<(string, string, long)>();
        while (history.Count < count)
        {
            var account = Pick(random, Accounts);
            var time = 1_000L * random.Next(1, 13);
            HistoryEvent? next = random.Next(21) switch
            {
                < 2 when accountEvents.Add((CallbackCommands.AfterCreateOfficialAccount, account, time)) =>
                    new(CallbackCommands.AfterCreateOfficialAccount, new OfficialAccountCreated(
                        CallbackCommands.AfterCreateOfficialAccount, account, "admin", Pick(random, Owners), Pick(random, Names), time)),
                < 4 when accountEvents.Add((CallbackCommands.AfterOfficialAccountDestroyed, account, time)) =>
                    new(CallbackCommands.AfterOfficialAccountDestroyed, new OfficialAccountDestroyed(
                        CallbackCommands.AfterOfficialAccountDestroyed, account, Pick(random, Owners), Pick(random, Names), time)),
                < 4 => null,
                < 7 => new(CallbackCommands.AfterOfficialAccountInfoChanged, new OfficialAccountInfoChanged(
                    CallbackCommands.AfterOfficialAccountInfoChanged, account, "admin",
                    Pick(random, Profile), random.Next(2) == 0 ? null : Pick(random, Names), Pick(random, Profile), Pick(random, Profile), time)),
                < 8 => new(CallbackCommands.AfterOfficialAccountFull, new OfficialAccountFull(CallbackCommands.AfterOfficialAccountFull, account, time)),
                < 12 => new(CallbackCommands.AfterAddSubscriber, new SubscribersAdded(
                    CallbackCommands.AfterAddSubscriber, account, "admin", Subscribers(random), time)),
                < 15 => new(CallbackCommands.AfterDeleteSubscriber, new SubscribersDeleted(
                    CallbackCommands.AfterDeleteSubscriber, account, "admin", Subscribers(random), time)),
                < 19 => new(CallbackCommands.AfterSendMsg, new MessageSent(
                    CallbackCommands.AfterSendMsg, account, Pick(random, MsgKeys), Pick(random, MsgTimes), random.Next(2),
                    Pick(random, Bodies) is { } body ? JsonDocument.Parse(body).RootElement.Clone() : null, Pick(random, CloudData), time)),
                _ => new(CallbackCommands.AfterMsgWithDraw, new MessagesWithdrawn(
                    CallbackCommands.AfterMsgWithDraw, account,
                    [.. Subset(random, MsgKeys).Select(k => new WithdrawnMessageEntry(k))], time)),
            };
            if (next is not null)
            {
                history.Add(next);
            }
        }

        return history;
    }

    private static List<SubscribeAccountEntry?> Subscribers(Random random) =>
        [.. Subset(random, Users).Select(u => new SubscribeAccountEntry(u))];

    private static IEnumerable<string> Subset(Random random, string[] items) =>
        items.Where(_ => random.Next(3) == 0).DefaultIfEmpty(Pick(random, items));

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
