namespace CleanChat.Domain.OfficialAccounts;

/// <summary>
/// What one event changes in the state folded from the log, about one official account: the account's own fields
/// (<see cref="AccountChange"/>), who follows it (<see cref="SubscriberChange"/>), what it sent
/// (<see cref="MessageChange"/>, <see cref="WithdrawalChange"/>). The store commits it in the same transaction as
/// the event, and only when the event is new; each engine's writer applies it with its own SQL.
/// </summary>
/// <remarks>
/// Every piece of state is decided by <see cref="EventTime"/>, never by arrival: an older event never overwrites
/// what a newer one set, and two events with the same time are settled by a fixed rule (documented on each type).
/// Applying a history in any order, with repeats, therefore gives the same state.
/// </remarks>
public abstract record StateChange(string SdkAppId, string OfficialAccount, DateTimeOffset EventTime);
