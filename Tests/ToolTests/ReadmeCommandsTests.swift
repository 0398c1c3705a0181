import Foundation
import SOCTestSupport
import Testing

/// The README's runnable command blocks, run as written: each fenced block whose info string is
/// `sh test` runs with bash (`set -euo pipefail`) from the repository root, with HOME a fresh
/// folder. A command whose last line ends in `# needs network` is skipped (the test machine
/// reaches no download site); every other command must succeed.
@Suite struct ReadmeCommandsTests {
    static let marker = "# needs network"

    /// The blocks, each a list of commands (lines joined where one ends with a backslash).
    static func blocks(of markdown: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String]?
        var pending = ""
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil {
                if trimmed.hasPrefix("```") && trimmed.dropFirst(3).split(separator: " ") == ["sh", "test"] {
                    current = []
                }
                continue
            }
            if trimmed == "```" {
                blocks.append(current!)
                current = nil
                continue
            }
            pending += pending.isEmpty ? line : "\n" + line
            if !line.hasSuffix("\\") {
                current!.append(pending)
                pending = ""
            }
        }
        return blocks
    }

    @Test func theReadmeCommandsRunAndOnlyNetworkOnesAreSkipped() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = Self.blocks(of: readme)
        #expect(blocks.count >= 2, "the README's `sh test` blocks")
        let commands = blocks.flatMap { $0 }
        let skipped = commands.filter { $0.split(separator: "\n").last?.hasSuffix(Self.marker) == true }
        #expect(!skipped.isEmpty, "the Swift download commands are marked \(Self.marker)")
        let home = try TemporaryDirectory()
        for block in blocks {
            let runnable = block.filter { !skipped.contains($0) }
            let script = "set -euo pipefail\n" + runnable.joined(separator: "\n")
            let run = Shell.run(script, in: Repository.root, environment: ["HOME": home.url.path])
            #expect(run.status == 0, "README block failed:\n\(script)\n---\n\(run.output.suffix(4000))")
        }
    }

    @Test func blocksAreReadAsTheTestSays() {
        let markdown = """
            ```sh
            not run
            ```
            ```sh test
            echo one
            curl -O https://x \\
              && tar xf x # needs network
            ```
            """
        #expect(Self.blocks(of: markdown) == [["echo one", "curl -O https://x \\\n  && tar xf x # needs network"]])
    }
}
