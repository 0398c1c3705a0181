import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

/// A stage with every kind of answer, to test the runner alone: `{"n": N, "id": ...}` records are
/// kept when N is even (edited to `"n": "even"` when N % 4 == 2), removed when odd, rejected when
/// N is missing; ids are claimed (a repeated id is rejected in input order); each unit sums
/// 1/N in floating point, and the sums are added up in input order.
final class FakeStage: RecordStage {
    let splits: Bool
    private var unitSum = 0.0
    private var unitRecords = 0
    private(set) var total = 0.0
    private(set) var units = 0
    private var seen: Set<String> = []
    let log: SideOutput?

    init(splits: Bool = true, log: String? = nil) {
        self.splits = splits
        self.log = log.map { SideOutput(path: $0) }
    }

    func makeWorker() -> RecordStage? { splits ? FakeStage(splits: true) : nil }

    var sideOutputs: [SideOutput] { log.map { [$0] } ?? [] }

    func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        guard let member = document.member(document.root, "n"), document.kind(member) == .number,
            let n = Int(String(decoding: document.raw(member), as: UTF8.self))
        else {
            return .reject(Diagnosis(code: "no_n", message: "no n"), also: [Diagnosis(code: "second", message: "more")])
        }
        unitSum += 1 / Double(n == 0 ? 7 : n)
        unitRecords += 1
        if n % 2 != 0 { return .remove(Diagnosis(code: "odd", message: "odd")) }
        let id = document.member(document.root, "id").flatMap { document.string($0) }
        if n % 4 == 2 {
            return .edit([JSONEdit(range: document.span(member), replacement: Array("\"even\"".utf8))])
        }
        return .keep(claim: id.map { UniqueKeyClaim(key: $0, path: "$.id") })
    }

    func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
        guard let claim = claim as? UniqueKeyClaim else { return .keep }
        if seen.insert(claim.key).inserted { return .keep }
        return .reject(Diagnosis(code: "duplicate", message: claim.key))
    }

    struct Sum: WorkUnitResult {
        var sum: Double
        var records: Int
    }

    func endUnit() -> (any WorkUnitResult)? {
        defer {
            unitSum = 0
            unitRecords = 0
        }
        return Sum(sum: unitSum, records: unitRecords)
    }

    func absorb(_ result: any WorkUnitResult) throws {
        guard let result = result as? Sum else { return }
        total += result.sum
        units += 1
        try log?.write("unit \(units): \(result.records) records\n")
    }

    func finish() throws {
        try log?.write("total \(total.bitPattern)\n")
    }

    var reportExtras: [(String, JSONValue)] { [("total_bits", .string(String(total.bitPattern)))] }
}

@Suite struct RecordRunnerTests {
    /// Lines of every kind: kept, edited, removed, rejected, duplicate ids, blank, malformed, overlong.
    static let input: String = {
        var lines: [String] = []
        for k in 0..<3000 {
            switch k % 17 {
            case 5: lines.append("")
            case 9: lines.append("{\"n\": \(k), \"broken")
            case 11: lines.append("{\"x\": 1}")
            case 13: lines.append("{\"n\": 8, \"id\": \"dup\", \"pad\": \"\(String(repeating: "p", count: k % 300))\"}")
            case 15 where k % 3 == 0: lines.append("{\"n\": 4, \"pad\": \"\(String(repeating: "q", count: 900))\"}")
            default: lines.append("{\"n\": \(k + 1), \"id\": \"r\(k)\"}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    struct Outcome: Equatable {
        var records: String
        var rejects: String
        var removed: String
        var report: String
        var log: String
    }

    func run(threads: Int, splits: Bool = true, limits: BatchLimits, in dir: URL) throws -> (Outcome, Tally) {
        let input = dir.appendingPathComponent("in.jsonl").path
        try Data(Self.input.utf8).write(to: URL(fileURLWithPath: input))
        var configuration = RunConfiguration(tool: "fake", inputs: [InputFile(input)])
        func path(_ name: String) -> String { dir.appendingPathComponent("\(name)-\(threads)-\(splits)").path }
        configuration.output = path("out")
        configuration.rejects = path("rejects")
        configuration.removed = path("removed")
        configuration.report = path("report")
        configuration.maxLineBytes = 800
        configuration.threads = threads
        configuration.batchLimits = limits
        let stage = FakeStage(splits: splits, log: path("log"))
        let runner = RecordRunner(configuration: configuration, stage: stage)
        var rejectedSeen: [Int] = []
        runner.onReject = { location, first, more in
            rejectedSeen.append(location.line)
            if first.code == "no_n" { #expect(more.map(\.code) == ["second"]) }
        }
        let tally = try runner.run()
        #expect(rejectedSeen == rejectedSeen.sorted(), "rejections are reported in input order")
        #expect(rejectedSeen.count == tally.rejected)
        func read(_ name: String) throws -> String {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: path(name))), as: UTF8.self)
        }
        return (
            Outcome(
                records: try read("out"), rejects: try read("rejects"), removed: try read("removed"),
                report: try read("report"), log: try read("log")), tally
        )
    }

    @Test func everyThreadCountGivesTheSameBytesAndTheCountsAddUp() throws {
        let temporary = try TemporaryDirectory()
        let dir = temporary.url
        for limits in [BatchLimits(lines: 50, bytes: 4096), BatchLimits.standard] {
            let (reference, tally) = try run(threads: 1, limits: limits, in: dir)
            #expect(tally.isBalanced)
            #expect(tally.read == 3000)
            #expect(tally.written > 0 && tally.rejected > 0 && tally.removed > 0 && tally.modified > 0)
            // What each line became, checked against the input itself.
            let lines = Self.input.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            let removedLines = reference.removed.split(separator: "\n").map(String.init)
            #expect(removedLines.count == tally.removed - (tally.reasons["empty_line"] ?? 0))
            #expect(reference.rejects.split(separator: "\n").count == tally.rejected)
            #expect(reference.records.split(separator: "\n").count == tally.written)
            #expect(reference.records.contains("{\"n\": \"even\", \"id\": \"r1\"}"))
            // The records exactly: kept lines as they were and edited ones rewritten, in input
            // order (the writer hands them on in runs, the edits applied on the workers).
            var expected = ""
            var dupKept = false
            for (k, line) in lines.enumerated() {
                switch k % 17 {
                case 5, 9, 11: continue
                case 13:
                    if !dupKept { expected += line + "\n" }
                    dupKept = true
                case 15 where k % 3 == 0: continue
                default:
                    let n = k + 1
                    if n % 2 != 0 { continue }
                    expected += n % 4 == 2 ? "{\"n\": \"even\", \"id\": \"r\(k)\"}\n" : line + "\n"
                }
            }
            #expect(reference.records == expected)
            let dups = lines.filter { $0.contains("\"dup\"") }
            #expect(reference.records.contains(dups[0]), "the first claim of an id holds")
            #expect(
                dups.dropFirst().allSatisfy { reference.rejects.contains($0 + "\n") }, "later claims of it are rejected"
            )
            #expect(
                reference.rejects.contains(String(repeating: "q", count: 900)),
                "the overlong line went to --rejects whole")
            #expect(tally.reasons["line_too_long"] == (0..<3000).filter { $0 % 17 == 15 && $0 % 3 == 0 }.count)
            for threads in [2, 3, 8] {
                #expect(
                    try run(threads: threads, limits: limits, in: dir).0 == reference, "threads \(threads), \(limits)")
            }
            // A stage that cannot be split is decided on the writer thread, with the same result.
            #expect(try run(threads: 4, splits: false, limits: limits, in: dir).0 == reference)
        }
    }

    @Test func aStageThatThrowsStopsTheRunAndCommitsNothing() throws {
        final class Failing: RecordStage {
            func makeWorker() -> RecordStage? { Failing() }
            func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
                .keep(claim: UniqueKeyClaim(key: "", path: ""))
            }
            func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
                if location.line == 500 { throw RunFailure(.dataFailure, "limit reached at line 500") }
                return .keep
            }
        }
        let temporary = try TemporaryDirectory()
        let dir = temporary.url
        let input = dir.appendingPathComponent("in.jsonl").path
        try Data(String(repeating: "{}\n", count: 20_000).utf8).write(to: URL(fileURLWithPath: input))
        var configuration = RunConfiguration(tool: "fake", inputs: [InputFile(input)])
        configuration.output = dir.appendingPathComponent("out").path
        configuration.rejects = dir.appendingPathComponent("rejects").path
        configuration.threads = 2
        configuration.batchLimits = BatchLimits(lines: 64, bytes: 1 << 20)
        #expect(throws: RunFailure.self) { try RecordRunner(configuration: configuration, stage: Failing()).run() }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in.jsonl"], "no output, no temporary")
    }
}
