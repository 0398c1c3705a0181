import Foundation
import SOCTestSupport
import Testing

/// A unit whose lines alternate between unchanged input and lines a worker rewrote reaches the
/// output as gathered runs written in place (`writev`), not copied into the sink's buffer: the
/// bytes, `| head`, a full disk and a compressed `-o` must behave as for one run.
@Suite struct GatheredOutputTests {
    /// A file soc-scrub leaves as it is (the examples' first chat, made distinct and scrubbed
    /// once), and the same file with a speaker label put back in every other chat: scrubbing
    /// the second must give the first, byte for byte.
    static func files(in dir: TemporaryDirectory) throws -> (clean: String, labelled: String, expected: Data) {
        let raw = try dir.write("raw.jsonl", OutputFaultTests.chats(3000, tag: "g"))
        let clean = dir.path("clean.jsonl")
        let scrubbed = try ToolProcess.shell("soc-scrub '\(raw)' > '\(clean)'")
        #expect(scrubbed.status == 0, "\(scrubbed.stderr)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: clean))
        let lines = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // Persona1 of the example is Lars Bianchi; each chat's first message starts "g K ".
        var labelled = ""
        for (k, line) in lines.dropLast().enumerated() {
            labelled +=
                k % 2 == 0
                ? line.replacingOccurrences(of: "[\"g \(k) ", with: "[\"Lars Bianchi: g \(k) ") : String(line)
            labelled += "\n"
        }
        #expect(labelled.utf8.count > expected.count + 1000, "the labels were put in")
        return (clean, try dir.write("labelled.jsonl", labelled), expected)
    }

    @Test(arguments: [1, 2, 3])
    func theBytesAreThoseOfTheCleanFile(threads: Int) throws {
        let dir = try TemporaryDirectory()
        let (_, labelled, expected) = try Self.files(in: dir)
        let run = try ToolProcess.shell("soc-scrub --threads \(threads) '\(labelled)' | cat")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == expected)
        let compressed = dir.path("out.jsonl.gz")
        let zipped = try ToolProcess.shell("soc-scrub --threads \(threads) -o '\(compressed)' '\(labelled)'")
        #expect(zipped.status == 0, "\(zipped.stderr)")
        #expect(try ToolProcess.shell("gzip -dc '\(compressed)'").stdout == expected)
    }

    @Test func headEndsTheRunQuietly() throws {
        let dir = try TemporaryDirectory()
        let (_, labelled, _) = try Self.files(in: dir)
        let run = try ToolProcess.shell("soc-scrub '\(labelled)' | head -c 100 > /dev/null; echo ${PIPESTATUS[0]}")
        #expect(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
    }

    @Test func aFullDiskIsAnIOError() throws {
        let dir = try TemporaryDirectory()
        let (_, labelled, _) = try Self.files(in: dir)
        let run = try ToolProcess.shell("soc-scrub '\(labelled)' > /dev/full")
        #expect(run.status == 3)
        #expect(run.stderr.hasPrefix("soc-scrub: "), "\(run.stderr)")
        #expect(run.stderr.contains("No space left on device"))
    }
}
