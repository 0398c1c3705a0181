#if canImport(Glibc)
    import Glibc
#endif

/// How per-record diagnostics are written to stderr.
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    /// `FILE:LINE: code: $.path: message`
    case text
    /// One JSON object per line: `{"file","line","code","path","message"}`.
    case json
    /// GitHub Actions annotations: `::error file=F,line=L::code: message`.
    case github
}

/// Writes one line per diagnosis to stderr, at most `limitPerCode` per reason code, then a
/// single summary line per code for the rest.
public final class DiagnosticPrinter {
    public let format: DiagnosticFormat
    public let limitPerCode: Int
    // Written by the writer thread only, once per rejected line (5 M rejected `{}` lines: see LineBatch.swift).
    @exclusivity(unchecked) private var shown: [ReasonCode: Int] = [:]
    @exclusivity(unchecked) private var suppressed: [ReasonCode: Int] = [:]
    /// The last code that reached the limit and how many of it were suppressed since it was
    /// last folded into `suppressed` (a run of one rejected kind costs no hashing per line).
    @exclusivity(unchecked) private var recentSuppressed: (code: ReasonCode, count: Int)?
    private let tool: String

    public init(tool: String, format: DiagnosticFormat = .text, limitPerCode: Int = 20) {
        self.tool = tool
        self.format = format
        self.limitPerCode = limitPerCode
    }

    /// Reports one diagnosis for the record at `location`.
    public func report(_ diagnosis: Diagnosis, at location: RecordLocation) {
        if let recent = recentSuppressed, recent.code == diagnosis.code {
            recentSuppressed = (recent.code, recent.count + 1)
            return
        }
        let count = shown[diagnosis.code, default: 0]
        guard count < limitPerCode else {
            foldRecent()
            recentSuppressed = (diagnosis.code, 1)
            return
        }
        shown[diagnosis.code] = count + 1
        StandardError.write(Self.line(for: diagnosis, at: location, format: format) + "\n")
    }

    /// The formatted line (without newline) for one diagnosis.
    public static func line(for diagnosis: Diagnosis, at location: RecordLocation, format: DiagnosticFormat) -> String {
        let path = diagnosis.path.map { "\($0): " } ?? ""
        switch format {
        case .text:
            return "\(location.file):\(location.line): \(diagnosis.code): \(path)\(diagnosis.message)"
        case .json:
            let value: JSONValue = .object([
                ("file", .string(location.file)), ("line", .number(JSONNumber(location.line))),
                ("code", .string(diagnosis.code.rawValue)),
                ("path", diagnosis.path.map { .string($0) } ?? .null), ("message", .string(diagnosis.message)),
            ])
            return value.serialized()
        case .github:
            let message = "\(diagnosis.code): \(path)\(diagnosis.message)"
            return "::error file=\(escapeProperty(location.file)),line=\(location.line)::\(escapeData(message))"
        }
    }

    /// Reports something about an input that is not a rejection (a skipped byte order mark),
    /// in the run's format (a warning annotation for GitHub); never limited, never counted.
    public func notice(_ diagnosis: Diagnosis, at location: RecordLocation) {
        if format == .github {
            let message = "\(diagnosis.code): \(diagnosis.message)"
            StandardError.write(
                "::warning file=\(Self.escapeProperty(location.file)),line=\(location.line)::\(Self.escapeData(message))\n"
            )
        } else {
            StandardError.write(Self.line(for: diagnosis, at: location, format: format) + "\n")
        }
    }

    private func foldRecent() {
        if let recent = recentSuppressed { suppressed[recent.code, default: 0] += recent.count }
        recentSuppressed = nil
    }

    /// Prints one summary line for each code that reached the limit.
    public func finish() {
        foldRecent()
        for (code, count) in suppressed.sorted(by: { $0.key < $1.key }) {
            StandardError.write("\(tool): \(count) more \(code) diagnostics not shown\n")
        }
    }

    private static func escapeData(_ s: String) -> String {
        s.replacingAll("%", "%25").replacingAll("\r", "%0D").replacingAll("\n", "%0A")
    }

    private static func escapeProperty(_ s: String) -> String {
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
