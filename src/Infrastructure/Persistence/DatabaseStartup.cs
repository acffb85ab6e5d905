namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// Whether this process has run its start-up work on the database (migrations, state replay). Without a spool that
/// work runs before the host starts, and a database that cannot be reached stops it. With one, a webhook node starts
/// anyway, takes callbacks into its spool, and the spool's drainer runs that work once the database answers.
/// </summary>
internal sealed class DatabaseStartup(bool mayWaitForDatabase)
{
    private volatile bool _pending;

    /// <summary>True on a webhook node with a spool: start-up may go ahead without the database.</summary>
    public bool MayWaitForDatabase { get; } = mayWaitForDatabase;

    /// <summary>True until the start-up work ran on a database that was unreachable when the host started.</summary>
    public bool IsPending => _pending;

    public void Postpone() => _pending = true;

    public void Complete() => _pending = false;
}
