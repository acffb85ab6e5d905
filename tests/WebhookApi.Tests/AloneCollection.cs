namespace CleanChat.WebhookApi.Tests;

/// <summary>
/// Runs after every other test class, alone: metrics listeners subscribe by meter name process-wide, so
/// exact counts need no other host in this process recording at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone";
}
