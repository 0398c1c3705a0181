/// The `--audit FILE` log: one JSON object per line per change,
/// `{"file","line","id","part","message","rule","before","after"}`. `id` is the chat_id (or the
/// persona id), `part` and `message` are indices into the input record (null for a persona
/// name), `after` is a string, an array when the rule split the message, or null when dropped.
final class ScrubAudit {
    let output: SideOutput

    init(output: SideOutput) {
        self.output = output
    }

    /// Appends the line (with its newline) for `change` to `out`.
    static func appendLine(
        _ change: ScrubChange, at location: RecordLocation, id: String?, part: Int?, message: Int?,
        to out: inout [UInt8]
    ) {
        let after: JSONValue
        switch change.after.count {
        case 0: after = .null
        case 1: after = .string(change.after[0])
        default: after = .array(change.after.map { .string($0) })
        }
        let line: JSONValue = .object([
            ("file", .string(location.file)), ("line", .number(JSONNumber(location.line))),
            ("id", id.map { .string($0) } ?? .null),
            ("part", part.map { .number(JSONNumber($0)) } ?? .null),
            ("message", message.map { .number(JSONNumber($0)) } ?? .null),
            ("rule", .string(change.rule)), ("before", .string(change.before)), ("after", after),
        ])
        out.append(contentsOf: line.serialized().utf8)
        out.append(10)
    }

    /// Writes lines built by `appendLine`, in input order.
    func write(_ lines: [UInt8]) throws(OutputError) {
        guard !lines.isEmpty else { return }
        try output.write(lines)
    }
}
