// Each test starts real host processes; one at a time keeps them fast and their timing-free
// assertions deterministic on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
