/// An output besides the records, `--rejects` and `--removed`: scrub's `--audit`, validate's
/// `--errors`, dedup's `--clusters`, the signatures of `sign`, the statistics of soc-stats.
///
/// The runner owns it: it opens every side output before the first line is read (so a path that
/// cannot be written fails the run before any work) and commits them together with the main
/// outputs, only when the run read its inputs to the end; a run that stops early leaves none.
/// A stage writes to it only where the runner calls it in input order (`confirm`, `absorb`,
/// `finish`), so its bytes are the same for any thread count. `-` is standard output.
public final class SideOutput {
    /// The path as given (`-` for stdout).
    public let path: String
    /// The option that named it (`--audit`), for messages.
    public let option: String
    private var sink: OutputSink?

    public init(path: String, option: String = "a side output") {
        self.path = path
        self.option = option
    }

    /// Opens the file (a temporary beside it until `commit`); the runner calls it at start.
    func open() throws(OutputError) {
        if sink == nil { sink = try OutputSink.file(path) }
    }

    private func opened() throws(OutputError) -> OutputSink {
        if let sink { return sink }
        let made = try OutputSink.file(path)
        sink = made
        return made
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(OutputError) {
        try opened().write(bytes)
    }

    /// Appends a string's UTF-8.
    public func write(_ text: String) throws(OutputError) {
        try opened().write(text)
    }

    /// Writes out everything (a compressed file: to the end of its stream) before `commit`.
    func finish() throws(OutputError) {
        try opened().finish()
    }

    /// Gives the file up (a run that stopped early): its temporary goes at once.
    func discard() {
        sink?.discard()
    }

    /// Puts the file in place; the runner calls it with the main outputs.
    func commit() throws(OutputError) {
        try opened().commit()
    }
}
