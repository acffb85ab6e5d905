namespace CleanChat.Infrastructure.Retention;

/// <summary>What one run of the retention job did.</summary>
/// <param name="Outcome">completed, skipped (another node held the job, or retention is off) or failed.</param>
/// <param name="Floor">The first sequence the log holds after the run; 0 when the run did not read it.</param>
public sealed record RetentionRun(string Outcome, long Floor, int Archived, int Deleted, TimeSpan Elapsed);
