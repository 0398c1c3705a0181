/// `--errors FILE`: every problem of every rejected record, one JSON object per line:
/// `{"file","line","id","code","path","message"}` (`id` is the chat_id or persona id, or null).
public final class ErrorLog {
    /// The file; give it to the runner (`RunConfiguration.sideOutputs`), which opens and commits it.
    public let output: SideOutput

    public init(path: String) {
        output = SideOutput(path: path, option: "--errors")
    }

    /// The JSON line (without newline) for one problem.
    public static func line(_ diagnosis: Diagnosis, at location: RecordLocation, id: String?) -> String {
        JSONValue.object([
            ("file", .string(location.file)), ("line", .number(JSONNumber(location.line))),
            ("id", id.map { .string($0) } ?? .null), ("code", .string(diagnosis.code.rawValue)),
            ("path", diagnosis.path.map { .string($0) } ?? .null), ("message", .string(diagnosis.message)),
        ]).serialized()
    }

    /// Appends one problem (in input order: the runner's `onReject`).
    public func append(_ diagnosis: Diagnosis, at location: RecordLocation, id: String?) throws(OutputError) {
        try output.write(Self.line(diagnosis, at: location, id: id) + "\n")
    }
}
