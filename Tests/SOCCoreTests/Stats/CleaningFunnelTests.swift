import Testing

@testable import SOCCore

/// The funnel of a pipeline's `--report` files: reasons split, chaining checked.
@Suite struct CleaningFunnelTests {
    static func report(
        _ tool: String, read: Int, written: Int, rejected: [String: Int] = [:], removed: [String: Int] = [:],
        writesRecords: Bool = true
    ) -> (name: String, bytes: [UInt8]) {
        var reasons = rejected
        for (k, v) in removed { reasons[k, default: 0] += v }
        func object(_ d: [String: Int]) -> String {
            "{" + d.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
        let text = """
            {"tool": "\(tool)", "read": \(read), "written": \(written), "rejected": \(rejected.values.reduce(0, +)),
             "removed": \(removed.values.reduce(0, +)), "modified": 0, "reasons": \(object(reasons)),
             "removed_reasons": \(object(removed)), "inputs": []\(writesRecords ? "" : ", \"writes_records\": false")}
            """
        return ("\(tool).json", Array(text.utf8))
    }

    @Test func chainsAndSplitsReasons() throws {
        let funnel = try CleaningFunnel.load([
            Self.report("soc-validate", read: 10, written: 8, rejected: ["malformed_json": 2]),
            Self.report("soc-dedup", read: 8, written: 5, rejected: ["x": 1], removed: ["near_duplicate": 2]),
        ])
        #expect(funnel.breaks.isEmpty)
        #expect(funnel.read == 10 && funnel.written == 5)
        #expect(funnel.stages[1].rejectedReasons.map(\.code) == ["x"])
        #expect(funnel.stages[1].removedReasons.map(\.code) == ["near_duplicate"])
        #expect(funnel.steps.map(\.count) == [10, 2, 8, 1, 2, 5])
        let table = FunnelReport.markdownTable(funnel)
        #expect(table.contains("| soc-dedup removed `near_duplicate` | −2 | 5 |"))
    }

    @Test func saysWhereTheReportsDoNotChain() throws {
        let funnel = try CleaningFunnel.load([
            Self.report("soc-validate", read: 10, written: 8, rejected: ["malformed_json": 2]),
            Self.report("soc-filter", read: 7, written: 7),
        ])
        #expect(funnel.breaks.count == 1)
        #expect(funnel.breaks[0].contains("read 7 lines but stage 1 (soc-validate, soc-validate.json) wrote 8"))
        #expect(funnel.json["chained"] == .bool(false))
    }

    @Test func refusesRunsThatWroteNothingAndReportsThatDoNotAddUp() {
        #expect(throws: StatsFormatError.self) {
            try CleaningFunnel.load([Self.report("soc-validate", read: 3, written: 3, writesRecords: false)])
        }
        #expect(throws: StatsFormatError.self) {
            try CleaningFunnel.load([Self.report("soc-filter", read: 3, written: 1)])
        }
        #expect(throws: StatsFormatError.self) {
            try CleaningFunnel.load([("x.json", Array(#"{"read": 1}"#.utf8))])
        }
    }
}
