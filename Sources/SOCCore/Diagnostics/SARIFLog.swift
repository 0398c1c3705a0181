/// The `--diagnostics sarif` document: SARIF 2.1.0, one run, written once when the tool ends.
///
/// Results are held until then, so at most `resultLimit` of them are kept (GitHub code scanning
/// takes at most 25,000 results per run); the number left out is said in a notification, which
/// keeps memory bounded however many records are rejected.
struct SARIFLog {
    static let resultLimit = 25_000
    static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    private var results: [DiagnosticLine] = []
    private var notifications: [DiagnosticLine] = []
    private(set) var resultsLeftOut = 0

    mutating func add(_ line: DiagnosticLine) {
        if line.location != nil {
            guard results.count < Self.resultLimit else {
                resultsLeftOut += 1
                return
            }
            results.append(line)
        } else {
            notifications.append(line)
        }
    }

    /// The document for a run of `tool` that ended with `status`.
    func document(tool: String, version: String, status: ExitStatus) -> JSONValue {
        // Rules in order of first appearance, so the document is the same bytes for the same input.
        var ruleIndex: [String: Int] = [:]
        var rules: [JSONValue] = []
        var renderedResults: [JSONValue] = []
        for line in results {
            let code = line.code ?? "error"
            let index: Int
            if let known = ruleIndex[code] {
                index = known
            } else {
                index = rules.count
                ruleIndex[code] = index
                rules.append(.object([("id", .string(code)), ("name", .string(code))]))
            }
            renderedResults.append(Self.result(line, ruleIndex: index))
        }
        var notes = notifications.map(Self.notification)
        if resultsLeftOut > 0 {
            notes.append(
                Self.notification(
                    DiagnosticLine(
                        tool: tool, level: .warning, subject: .tool, code: "results_left_out",
                        message:
                            "\(resultsLeftOut) more result(s) not included: a SARIF run holds at most \(Self.resultLimit)"
                    )))
        }
        let driver: JSONValue = .object([
            ("name", .string(tool)), ("version", .string(version)), ("rules", .array(rules)),
        ])
        let invocation: JSONValue = .object([
            // Rejected records (status 1) are findings, not a failure of the tool.
            ("executionSuccessful", .bool(status == .success || status == .dataFailure)),
            ("exitCode", .number(JSONNumber(Int(status.rawValue)))),
            ("toolExecutionNotifications", .array(notes)),
        ])
        let run: JSONValue = .object([
            ("tool", .object([("driver", driver)])), ("invocations", .array([invocation])),
            ("columnKind", .string("unicodeCodePoints")), ("results", .array(renderedResults)),
        ])
        return .object([("$schema", .string(Self.schemaURI)), ("version", .string("2.1.0")), ("runs", .array([run]))])
    }

    private static func result(_ line: DiagnosticLine, ruleIndex: Int) -> JSONValue {
        let location = line.location ?? RecordLocation(file: "", line: 1)
        let physical: [(String, JSONValue)] = [
            ("artifactLocation", .object([("uri", .string(artifactURI(location.file)))])),
            ("region", .object([("startLine", .number(JSONNumber(max(1, location.line))))])),
        ]
        var place: [(String, JSONValue)] = [("physicalLocation", .object(physical))]
        if let path = line.path {
            place.append(("logicalLocations", .array([.object([("fullyQualifiedName", .string(path))])])))
        }
        let message = (line.path.map { "\($0): " } ?? "") + line.message
        // What identifies the finding across runs when lines move: the record's id if it has one.
        let identity = line.recordID.map { "id:\($0)" } ?? "line:\(location.line)"
        return .object([
            ("ruleId", .string(line.code ?? "error")), ("ruleIndex", .number(JSONNumber(ruleIndex))),
            ("level", .string(line.level == .note ? "note" : line.level.rawValue)),
            ("message", .object([("text", .string(message))])),
            ("locations", .array([.object(place)])),
            (
                "partialFingerprints",
                .object([("socRecord/v1", .string("\(location.file)|\(identity)|\(line.code ?? "")"))])
            ),
        ])
    }

    private static func notification(_ line: DiagnosticLine) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("level", .string(line.level.rawValue)), ("message", .object([("text", .string(line.message))])),
        ]
        if let code = line.code { members.append(("descriptor", .object([("id", .string(code))]))) }
        return .object(members)
    }

    /// A file name as a relative URI reference: bytes outside RFC 3986's unreserved set and `/`
    /// are percent-encoded; standard input is `stdin`.
    static func artifactURI(_ file: String) -> String {
        if file == "<stdin>" { return "stdin" }
        var out = ""
        for byte in file.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return out
    }
}
