using System.Diagnostics;

namespace CleanChat.Resilience.Tests;

/// <summary>Waiting on a signal, or on a polled server-side condition, with a deadline; a timeout fails the test with the hosts' logs.</summary>
public static class Waits
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Waits for <paramref name="task"/>; fails with <paramref name="what"/> after <paramref name="patience"/> (default <see cref="Patience"/>).</summary>
    public static async Task WithinAsync(Task task, string what, Func<string> logs, TimeSpan? patience = null)
    {
        var limit = patience ?? Patience;
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Waited {limit.TotalSeconds} s for {what}.\n{logs()}");
        }
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="patience"/>.
    /// Only for a fact on the server's side that raises no signal (a host's <c>/readyz</c> or <c>/metrics</c>, a
    /// database's own view): a precondition read from the client's side would say what the client saw, not what the
    /// server did, and a signal (<see cref="WithinAsync"/>) costs nothing while it waits.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<string> logs, TimeSpan? patience = null)
    {
        var limit = patience ?? Patience;
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < limit, $"Waited {limit.TotalSeconds} s for {what}.\n{logs()}");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
