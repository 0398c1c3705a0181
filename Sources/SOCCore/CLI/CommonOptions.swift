import ArgumentParser

/// The options every tool shares: inputs, outputs, accounting and limits.
public struct CommonOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Input JSONL files, read in order as one stream; gzip, zstd, bzip2 and xz are decompressed (told by content). '-' or none reads stdin.",
            valueName: "file"))
    public var inputs: [String] = []

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp(
            "Write the output (records; soc-stats: the statistics) to FILE instead of stdout, atomically: a temporary file renamed at success. Any output file named .gz, .zst, .bz2 or .xz is written in that format.",
            valueName: "file"))
    public var output: String?

    @Option(
        help: ArgumentHelp(
            "Write a JSON report of the counts (read, written, rejected, removed, modified, reasons) to FILE.",
            valueName: "file"))
    public var report: String?

    @Option(
        help: ArgumentHelp(
            "Write rejected lines, verbatim, to FILE. Without it any rejected line makes the exit status 1.",
            valueName: "file"))
    public var rejects: String?

    @Flag(help: "Exit with status 1 when any line is rejected, even with --rejects.")
    public var strict = false

    @Option(
        help: ArgumentHelp(
            "Reject lines longer than N bytes (line_too_long) without holding them in memory.", valueName: "n"))
    public var maxLineBytes: Int = 64 << 20

    @Option(help: ArgumentHelp("Reject JSON nested deeper than N arrays/objects (too_deep).", valueName: "n"))
    public var maxDepth: Int = 512

    @Option(
        help: ArgumentHelp(
            "Run on N threads; 0 (the default): one per CPU this process may run on (taskset and container limits count). The threads take turns reading, deciding records and writing them in input order, so N threads keep at most N CPUs busy. The output is the same bytes for any N.",
            valueName: "n"))
    public var threads: Int = 0

    @Flag(
        help:
            "After the run, print a summary of times (wall, CPU) and the stage's counters (caches, compilations) on stderr. These depend on the machine and the threads, so they are not in --report."
    )
    public var timings = false

    @OptionGroup public var diagnostics: DiagnosticOptions

    public init() {}

    public mutating func validate() throws {
        guard threads >= 0, threads <= ThreadCount.maximum else {
            throw ValidationError("--threads must be between 0 and \(ThreadCount.maximum)")
        }
        guard maxLineBytes > 0, maxLineBytes < Int(Int32.max) else {
            throw ValidationError("--max-line-bytes must be between 1 and \(Int32.max - 1)")
        }
        guard maxDepth > 0 else { throw ValidationError("--max-depth must be at least 1") }
    }

    /// The inputs as files; stdin when none was given.
    public var inputFiles: [InputFile] {
        inputs.isEmpty ? [InputFile("-")] : inputs.map(InputFile.init)
    }
}

/// `--removed FILE`, for the tools that remove records on purpose (filter, dedup).
public struct RemovedOption: ParsableArguments {
    @Option(help: ArgumentHelp("Write removed lines (filtered, duplicates), verbatim, to FILE.", valueName: "file"))
    public var removed: String?

    public init() {}
}

extension RunConfiguration {
    /// The run the shared options describe.
    public init(
        tool: String, common: CommonOptions, removed: String? = nil, writesRecords: Bool = true
    ) {
        self.init(tool: tool, inputs: common.inputFiles)
        output = common.output
        rejects = common.rejects
        self.removed = removed
        report = common.report
        strict = common.strict
        maxLineBytes = common.maxLineBytes
        maxDepth = common.maxDepth
        self.writesRecords = writesRecords
        threads = common.threads
        timings = common.timings
    }
}
