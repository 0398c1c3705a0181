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

/// The `--check` summary: records checked, valid, invalid, and a count per reason code.
public enum CheckSummary {
    public static func table(_ tally: Tally) -> String {
        var out = "soc-validate: \(tally.read) records checked: \(tally.written) valid, \(tally.rejected) invalid"
        if tally.removed > 0 { out += ", \(tally.removed) blank" }
        out += "\n"
        let rows = tally.reasons.sorted { $0.key < $1.key }
        guard !rows.isEmpty else { return out }
        let width = max(4, rows.map { $0.key.rawValue.count }.max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        out += "| \(pad("code", width)) | count |\n"
        out += "| \(String(repeating: "-", count: width)) | ----: |\n"
        for (code, count) in rows {
            let number = String(count)
            out += "| \(pad(code.rawValue, width)) | \(String(repeating: " ", count: max(0, 5 - number.count)))\(number) |\n"
        }
        return out
    }
}
