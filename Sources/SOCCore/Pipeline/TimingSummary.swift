#if canImport(Glibc)
    import Glibc
#endif

/// The `--timings` summary: wall and CPU time of the run, then the lines the stage contributes
/// (`RecordStage.timingLines`), each as `tool: timings: ...` on stderr. Kept out of `--report`,
/// which holds only what the input and the options determine.
struct TimingSummary {
    private let tool: String
    private let startWall: Double
    private let startCPU: Double

    init(tool: String) {
        self.tool = tool
        startWall = Self.clock(CLOCK_MONOTONIC)
        startCPU = Self.clock(CLOCK_PROCESS_CPUTIME_ID)
    }

    /// The summary lines (without the `tool: timings: ` prefix) for a run that read `bytes`.
    func lines(threads: Int, units: Int, bytes: Int, stageLines: [String]) -> [String] {
        let wall = Self.clock(CLOCK_MONOTONIC) - startWall
        let cpu = Self.clock(CLOCK_PROCESS_CPUTIME_ID) - startCPU
        let rate = Double(bytes) / 1e6 / max(wall, 1e-9)
        return [
            "wall \(Self.seconds(wall)) s, cpu \(Self.seconds(cpu)) s, \(threads) thread(s), \(units) work unit(s), \(Int(rate)) MB/s"
        ] + stageLines
    }

    /// Writes the summary to stderr.
    func print(threads: Int, units: Int, bytes: Int, stageLines: [String]) {
        for line in lines(threads: threads, units: units, bytes: bytes, stageLines: stageLines) {
            DiagnosticChannel.shared.say("timings: \(line)", level: .note, code: "timings", tool: tool)
        }
    }

    /// `value` with three decimals.
    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    private static func clock(_ id: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
