/// Standard output carries one stream at most: the records (or a tool's one output, such as
/// soc-stats' statistics or dedup's removal list) or, when those go to a file or nowhere
/// (`-o FILE`, `--check`, `--dry-run`), one side output named `-`. Two streams on stdout would
/// interleave into something no reader can take apart (`--report -` in the middle of the
/// records), so such a run is refused before anything is read: a usage error.
public enum StandardOutputShare {
    /// True for the names that mean standard output.
    public static func isStandardOutput(_ path: String) -> Bool { path == "-" || path == "/dev/stdout" }

    /// Throws a usage error (status 2) when more than one of `outputs` is standard output.
    /// `outputs` lists the main output first (`-o`, its path `-` when it defaults to stdout;
    /// leave it out when the run writes no records), then every side output by its option.
    public static func check(_ outputs: [(option: String, path: String)], mainOutput: String = "the records") throws {
        let onStdout = outputs.filter { isStandardOutput($0.path) }
        guard onStdout.count > 1, let first = onStdout.first else { return }
        let second = onStdout[1]
        let holder = first.option == "-o" ? mainOutput : "the output of \(first.option)"
        throw RunFailure(
            .usage,
            "\(second.option) \(second.path): standard output already carries \(holder); give \(second.option) a file name"
                + (first.option == "-o" ? ", or send \(mainOutput) to a file with -o FILE" : ""))
    }
}
