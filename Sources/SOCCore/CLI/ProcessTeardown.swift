/// Lets a tool's process end without freeing its last run object by object.
///
/// At exit the kernel takes the whole address space back at once. Freeing a finished run's
/// persona values, caches, tables and work units one deinit at a time is serial work at the
/// end of every run: about 4 ms per 100 MB for soc-scrub and 2.5 ms for soc-stats, measured as
/// the time outside the runner's own `--timings` window. Only the command line's `main`
/// (`ToolMain`) turns this on; a library caller, such as the tests, frees as usual.
public enum ProcessTeardown {
    // Touched by the thread that runs the command, before and after its runs (never by the
    // runner's threads).
    nonisolated(unsafe) private static var skipsAtExit = false
    nonisolated(unsafe) private static var kept: [AnyObject] = []

    /// The process will exit when the command returns: runs may leave their memory to the kernel.
    static func skipAtExit() { skipsAtExit = true }

    /// Keeps `objects` (a run that completed and committed its outputs) alive until the process
    /// exits, in place of those kept before, which are freed now (a run starts with an empty
    /// list, so soc-dedup's second pass does not hold the first one's memory). Does nothing
    /// unless `skipAtExit` was called.
    static func keepUntilExit(_ objects: [AnyObject]) {
        guard skipsAtExit else { return }
        kept = objects
    }
}
