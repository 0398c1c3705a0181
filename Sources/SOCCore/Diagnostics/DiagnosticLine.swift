/// One line of what a tool says besides its data and progress: a record's diagnosis, a notice
/// about an input, or a line of the tool's own (a failure, a failed gate, a summary, timings).
///
/// `rendered(_:)` is the one place where the line formats of `--diagnostics` are written, so
/// every tool's lines have the same shape.
public struct DiagnosticLine: Sendable {
    /// What the line is about, which decides its text form.
    public enum Subject: Sendable {
        /// A line of an input: `FILE:LINE: code: path: message`.
        case record(RecordLocation)
        /// The tool itself: `tool: message`.
        case tool
        /// Text that stands alone (argument-parser's usage message, a table): written as is.
        case verbatim
    }

    public var tool: String
    public var level: DiagnosticLevel
    public var subject: Subject
    /// A reason code (`malformed_json`) or the kind of a tool line (`usage`, `timings`).
    public var code: String?
    /// Where in the record (a JSONPath such as `$.chat_parts[3].sender`).
    public var path: String?
    public var message: String
    /// The record's own id when known (SARIF fingerprints).
    public var recordID: String?

    public init(
        tool: String, level: DiagnosticLevel, subject: Subject, code: String? = nil, path: String? = nil,
        message: String, recordID: String? = nil
    ) {
        self.tool = tool
        self.level = level
        self.subject = subject
        self.code = code
        self.path = path
        self.message = message
        self.recordID = recordID
    }

    /// The location, for a record's line.
    public var location: RecordLocation? {
        if case .record(let location) = subject { return location }
        return nil
    }

    /// The line in `format`, without its newline; nil for `sarif`, which is one document.
    public func rendered(_ format: DiagnosticFormat) -> String? {
        switch format {
        case .text: return text
        case .json: return json.serialized()
        case .github: return github
        case .sarif: return nil
        }
    }

    /// The text form: what every tool printed before `--diagnostics` existed.
    public var text: String {
        switch subject {
        case .record(let location):
            let path = path.map { "\($0): " } ?? ""
            return "\(location.file):\(location.line): \(code ?? "error"): \(path)\(message)"
        case .tool: return "\(tool): \(message)"
        case .verbatim: return message
        }
    }

    /// The JSON form: the same seven keys on every line, null where they do not apply.
    public var json: JSONValue {
        let location = location
        return .object([
            ("tool", .string(tool)), ("level", .string(level.rawValue)),
            ("file", location.map { .string($0.file) } ?? .null),
            ("line", location.map { .number(JSONNumber($0.line)) } ?? .null),
            ("code", code.map { .string($0) } ?? .null), ("path", path.map { .string($0) } ?? .null),
            ("message", .string(message)),
        ])
    }

    /// The GitHub form: errors and warnings are workflow commands (annotations); notes are plain
    /// log lines, since an annotation per summary line would bury the real ones.
    public var github: String {
        guard level != .note else { return text }
        let command = level == .error ? "error" : "warning"
        switch subject {
        case .record(let location):
            let path = path.map { "\($0): " } ?? ""
            let body = "\(code ?? "error"): \(path)\(message)"
            return
                "::\(command) file=\(Self.escapeProperty(location.file)),line=\(location.line)::\(Self.escapeData(body))"
        case .tool, .verbatim:
            return "::\(command)::\(Self.escapeData(text))"
        }
    }

    // Workflow command escaping, as GitHub's toolkit does it.
    static func escapeData(_ s: String) -> String {
        s.replacingAll("%", "%25").replacingAll("\r", "%0D").replacingAll("\n", "%0A")
    }

    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingAll(":", "%3A").replacingAll(",", "%2C")
    }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
