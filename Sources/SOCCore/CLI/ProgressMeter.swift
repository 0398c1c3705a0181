#if canImport(Glibc)
    import Glibc
#endif

/// Records, MB/s and percent of the file on stderr, only when stderr is a terminal that gets
/// text diagnostics (never inside a json or sarif stream), as `StandardError`'s status line (a
/// diagnostic written meanwhile clears it first).
///
/// It is shown at most every 0.25 s. The hidden environment variable
/// `SOC_TOOLS_PROGRESS_INTERVAL` (seconds) changes that, so a test can make the meter due
/// without pausing the input (0: at every tick).
final class ProgressMeter {
    private let tool: String
    private let enabled: Bool
    private let interval: Double
    private var fileSize: Int?
    private var name = ""
    private var started = 0.0
    private var lastShown = 0.0

    init(tool: String) {
        self.tool = tool
        enabled = DiagnosticChannel.shared.showsProgress
        interval = getenv("SOC_TOOLS_PROGRESS_INTERVAL").flatMap { Double(String(cString: $0)) } ?? 0.25
    }

    func start(input: InputFile) {
        guard enabled else { return }
        fileSize = input.size
        name = input.displayName
        started = Self.now()
        lastShown = started
    }

    func tick(records: Int, bytes: Int, force: Bool = false) {
        guard enabled, force || records & 4095 == 0 else { return }
        let now = Self.now()
        guard now - lastShown >= interval else { return }
        lastShown = now
        let megabytes = Double(bytes) / 1e6
        let rate = megabytes / max(now - started, 1e-6)
        var text = "\(tool): \(name): \(records) records, \(Int(megabytes)) MB, \(Int(rate)) MB/s"
        if let fileSize, fileSize > 0 { text += ", \(min(100, bytes * 100 / fileSize))%" }
        StandardError.showStatus(text)
    }

    func end() {
        guard enabled else { return }
        StandardError.clearStatus()
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
