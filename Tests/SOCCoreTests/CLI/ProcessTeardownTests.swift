import SOCTestSupport
import Testing

@testable import SOCCore

/// Only the command line's `main` leaves a finished run's memory to the kernel: a library
/// caller (this test process runs hundreds of runs) frees every run as usual.
@Suite struct ProcessTeardownTests {
    final class Held {}

    @Test func aLibraryCallerKeepsNothing() {
        weak var weakly: Held?
        do {
            let held = Held()
            weakly = held
            ProcessTeardown.keepUntilExit([held])
        }
        #expect(weakly == nil, "kept without skipAtExit")
    }

    @Test func aRunOfTheRunnerIsFreedInALibrary() throws {
        final class Stage: RecordStage {
            func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict { .keep }
            func makeWorker() -> RecordStage? { Stage() }
        }
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", "{}\n{}\n")
        weak var weakStage: Stage?
        do {
            var configuration = RunConfiguration(tool: "fake", inputs: [InputFile(input)])
            configuration.output = dir.path("out.jsonl")
            configuration.threads = 2
            let stage = Stage()
            weakStage = stage
            let tally = try RecordRunner(configuration: configuration, stage: stage).run()
            #expect(tally.written == 2)
        }
        #expect(weakStage == nil, "the runner kept its stage after the run")
    }
}
