/// Sends a run's per-record diagnostics to the `DiagnosticChannel`: in text and github at most
/// `limitPerCode` per reason code, then one summary line per code for the rest; in json and
/// sarif every one.
public final class DiagnosticPrinter {
    public let limitPerCode: Int
    private let channel: DiagnosticChannel
    // Written by the writer thread only, once per rejected line (5 M rejected `{}` lines: see LineBatch.swift).
    @exclusivity(unchecked) private var shown: [ReasonCode: Int] = [:]
    @exclusivity(unchecked) private var suppressed: [ReasonCode: Int] = [:]
    /// The last code that reached the limit and how many of it were suppressed since it was
    /// last folded into `suppressed` (a run of one rejected kind costs no hashing per line).
    @exclusivity(unchecked) private var recentSuppressed: (code: ReasonCode, count: Int)?
    private let tool: String

    public init(tool: String, channel: DiagnosticChannel = .shared, limitPerCode: Int = 20) {
        self.tool = tool
        self.channel = channel
        self.limitPerCode = channel.capsPerCode ? limitPerCode : Int.max
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
        channel.emit(Self.line(tool: tool, level: .error, diagnosis, at: location))
    }

    /// Reports something about an input that is not a rejection (a skipped byte order mark), as
    /// a warning; never limited, never counted.
    public func notice(_ diagnosis: Diagnosis, at location: RecordLocation) {
        channel.emit(Self.line(tool: tool, level: .warning, diagnosis, at: location))
    }

    /// The channel's line for a diagnosis.
    public static func line(
        tool: String, level: DiagnosticLevel, _ diagnosis: Diagnosis, at location: RecordLocation
    ) -> DiagnosticLine {
        DiagnosticLine(
            tool: tool, level: level, subject: .record(location), code: diagnosis.code.rawValue, path: diagnosis.path,
            message: diagnosis.message, recordID: diagnosis.recordID)
    }

    private func foldRecent() {
        if let recent = recentSuppressed { suppressed[recent.code, default: 0] += recent.count }
        recentSuppressed = nil
    }

    /// Writes one summary line for each code that reached the limit.
    public func finish() {
        foldRecent()
        for (code, count) in suppressed.sorted(by: { $0.key < $1.key }) {
            channel.emit(
                DiagnosticLine(
                    tool: tool, level: .note, subject: .tool, code: code.rawValue,
                    message: "\(count) more \(code) diagnostics not shown"))
        }
    }
}
