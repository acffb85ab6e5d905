using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.Tests.Fold;

/// <summary>
/// The state a history must fold to, computed from the events' changes by their event times alone, as the rules on
/// <see cref="StateChange"/> and its types say: each piece of state is the newest event's that set it (at the same
/// time, the greater value; an unsubscribe over a subscribe; destroyed over active), counters and latest times are
/// maxima. Nothing here depends on the order the events are given in.
/// </summary>
internal static class FoldModel
{
    public static FoldedState Expected(IReadOnlyList<(string DeliveryKey, StateChange Change)> events)
    {
        var distinct = events.DistinctBy(e => e.DeliveryKey, StringComparer.Ordinal).ToList();
        var subscribers = Subscribers(distinct);
        var messages = Messages(distinct);
        var accounts = distinct.GroupBy(e => e.Change.OfficialAccount).Select(g => Account(g.Key, [.. g], subscribers)).ToList();
        return new FoldedState(
            FoldedState.Sorted(accounts, a => a.Account),
            FoldedState.Sorted(subscribers, s => s.Account + "\n" + s.Subscriber),
            FoldedState.Sorted(messages, m => m.Account + "\n" + m.MsgKey));
    }

    private static AccountState Account(string account, List<(string Key, StateChange Change)> events, List<SubscriberState> subscribers)
    {
        var changes = events.Select(e => e.Change).OfType<AccountChange>().ToList();
        var state = Newest(changes.Where(c => c.State is not null), c => (long)c.State!);
        var owner = NewestText(changes, c => c.OwnerAccount);
        var name = NewestText(changes, c => c.Name);
        var introduction = NewestText(changes, c => c.Introduction);
        var faceUrl = NewestText(changes, c => c.FaceUrl);
        var organization = NewestText(changes, c => c.Organization);
        var last = events.MaxBy(e => (Ms(e.Change.EventTime), e.Key), TimeThenKey.Instance);
        return new AccountState(
            account,
            state is null ? 0 : (long)state.State!,
            state is null ? null : Ms(state.EventTime),
            Max(changes.Where(c => c.State == OfficialAccountState.Active).Select(c => Ms(c.EventTime))),
            state?.State == OfficialAccountState.Destroyed ? Ms(state.EventTime) : null,
            owner.Value, owner.Time, name.Value, name.Time, introduction.Value, introduction.Time,
            faceUrl.Value, faceUrl.Time, organization.Value, organization.Time,
            Max(changes.Where(c => c.Full).Select(c => Ms(c.EventTime))),
            subscribers.Count(s => s.Account == account && s.Subscribed == 1),
            Max(events.Select(e => e.Change).OfType<MessageChange>().Select(m => Ms(m.MsgTime))),
            Ms(last.Change.EventTime),
            last.Key);
    }

    private static List<SubscriberState> Subscribers(List<(string Key, StateChange Change)> events) =>
        [.. events.Select(e => e.Change).OfType<SubscriberChange>()
            .SelectMany(c => c.SubscriberAccounts.Select(s => (c.OfficialAccount, Subscriber: s, Time: Ms(c.EventTime), c.Subscribed)))
            .GroupBy(s => (s.OfficialAccount, s.Subscriber))
            // The newest decides; at the same time an unsubscribe wins.
            .Select(g => g.MaxBy(s => (s.Time, s.Subscribed ? 0 : 1)))
            .Select(s => new SubscriberState(s.OfficialAccount, s.Subscriber, s.Subscribed ? 1 : 0, s.Time))];

    private static List<MessageState> Messages(List<(string Key, StateChange Change)> events)
    {
        var sends = events.Select(e => e.Change).OfType<MessageChange>().ToList();
        var withdraws = events.Select(e => e.Change).OfType<WithdrawalChange>()
            .SelectMany(w => w.MsgKeys.Select(k => (w.OfficialAccount, MsgKey: k, Time: Ms(w.EventTime))))
            .ToList();
        return [.. sends.Select(s => (s.OfficialAccount, s.MsgKey)).Concat(withdraws.Select(w => (w.OfficialAccount, w.MsgKey))).Distinct()
            .Select(key =>
            {
                var content = sends.Where(s => (s.OfficialAccount, s.MsgKey) == key).Aggregate(
                    (MessageChange?)null, (best, s) => best is not null && CompareContent(best, s) >= 0 ? best : s);
                var withdrawTime = Max(withdraws.Where(w => (w.OfficialAccount, w.MsgKey) == key).Select(w => w.Time));
                return new MessageState(
                    key.OfficialAccount, key.MsgKey, content is null ? null : Ms(content.MsgTime), content is null ? null : content.OnlineOnly ? 1 : 0,
                    content?.MsgBodyJson, content?.CloudCustomData, content is null ? null : Ms(content.EventTime),
                    withdrawTime is null ? 0 : 1, withdrawTime);
            })];
    }

    /// <summary>The newest send's content; at the same time, field by field, an absent value below any present one.</summary>
    private static int CompareContent(MessageChange a, MessageChange b)
    {
        int[] order =
        [
            Compare(Ms(a.EventTime), Ms(b.EventTime)),
            Compare(Ms(a.MsgTime), Ms(b.MsgTime)),
            a.OnlineOnly.CompareTo(b.OnlineOnly),
            (a.MsgBodyJson is not null).CompareTo(b.MsgBodyJson is not null),
            string.CompareOrdinal(a.MsgBodyJson ?? "", b.MsgBodyJson ?? ""),
            (a.CloudCustomData is not null).CompareTo(b.CloudCustomData is not null),
            string.CompareOrdinal(a.CloudCustomData ?? "", b.CloudCustomData ?? ""),
        ];
        return order.FirstOrDefault(c => c != 0);
    }

    private static (string? Value, long? Time) NewestText(List<AccountChange> changes, Func<AccountChange, string?> field)
    {
        var newest = Newest(changes.Where(c => field(c) is not null), c => 0, field);
        return newest is null ? (null, null) : (field(newest), Ms(newest.EventTime));
    }

    /// <summary>The change with the newest time; at the same time, the greater value (text by code point).</summary>
    private static AccountChange? Newest(IEnumerable<AccountChange> changes, Func<AccountChange, long> rank, Func<AccountChange, string?>? text = null) =>
        changes.Aggregate((AccountChange?)null, (best, c) =>
        {
            if (best is null)
            {
                return c;
            }

            var order = Compare(Ms(c.EventTime), Ms(best.EventTime));
            order = order != 0 ? order : Compare(rank(c), rank(best));
            order = order != 0 || text is null ? order : string.CompareOrdinal(text(c), text(best));
            return order > 0 ? c : best;
        });

    private static long? Max(IEnumerable<long> values) => values.Select(v => (long?)v).Max();

    private static int Compare(long a, long b) => a.CompareTo(b);

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private sealed class TimeThenKey : IComparer<(long Time, string Key)>
    {
        public static readonly TimeThenKey Instance = new();

        public int Compare((long Time, string Key) x, (long Time, string Key) y) =>
            x.Time != y.Time ? x.Time.CompareTo(y.Time) : string.CompareOrdinal(x.Key, y.Key);
    }
}
