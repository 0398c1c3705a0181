import Foundation
import SOCTestSupport
import Testing

/// The repository's `.pre-commit-hooks.yaml`, run by `pre-commit` (PyPI, pinned in
/// requirements/dist.txt) in a scratch dataset repository, as a dataset repository would use it:
/// good records pass both hooks; a bad record fails soc-validate with its diagnostic.
@Suite struct PreCommitHookTests {
    static let corpus = Repository.root.appendingPathComponent("Tests/Fixtures/validate/corpus.jsonl")
    static let expected = Repository.root.appendingPathComponent("Tests/Fixtures/validate/expected.tsv")

    typealias Run = ToolProcess.Combined

    static func run(_ executable: String, _ arguments: [String], in directory: URL, home: URL) throws -> Run {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return try ToolProcess.runCombined(
            URL(fileURLWithPath: executable), arguments,
            environment: [
                // The hooks are `language: system`: they run the soc-tools on PATH, here the ones built for the tests.
                "PATH": ToolProcess.productsDirectory.path + ":" + path,
                "HOME": home.path,
                "PRE_COMMIT_HOME": home.appendingPathComponent("pre-commit-cache").path,
                "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_AUTHOR_NAME": "test",
                "GIT_AUTHOR_EMAIL": "test@example.invalid",
                "GIT_COMMITTER_NAME": "test",
                "GIT_COMMITTER_EMAIL": "test@example.invalid",
            ],
            in: directory)
    }

    @Test func aBadRecordFailsTheHookWithItsDiagnosticAndGoodOnesPass() throws {
        guard let python = PythonEnvironment.python else {
            if PythonEnvironment.isRequired { Issue.record("no .build/pyenv: run scripts/pyenv.sh") }
            return
        }
        let dir = try TemporaryDirectory()
        let home = dir.url
        let git = "/usr/bin/git"
        // The hooks repository: what a dataset repository's config points at.
        let hooks = dir.url.appendingPathComponent("hooks")
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent(".pre-commit-hooks.yaml"),
            to: hooks.appendingPathComponent(".pre-commit-hooks.yaml"))
        for arguments in [["init", "-q"], ["add", "."], ["commit", "-q", "-m", "hooks"]] {
            #expect(try Self.run(git, arguments, in: hooks, home: home).status == 0)
        }
        let rev = try Self.run(git, ["rev-parse", "HEAD"], in: hooks, home: home).output
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // The dataset repository.
        let data = dir.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let config = """
            repos:
              - repo: \(hooks.path)
                rev: \(rev)
                hooks:
                  - id: soc-validate
                  - id: soc-stats-gate
                    args: [--require, 'turns.p50>=2']

            """
        try Data(config.utf8).write(to: data.appendingPathComponent(".pre-commit-config.yaml"))
        let lines = try String(contentsOf: Self.corpus, encoding: .utf8).split(separator: "\n").map(String.init)
        let codes = try String(contentsOf: Self.expected, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t").map(String.init) }
        let good = zip(lines, codes).filter { $0.1[1] == "ok" }.map(\.0)
        let (badLine, badCode) = try #require(
            zip(lines, codes).first { $0.1[1].hasPrefix("schema_") }.map { ($0.0, $0.1[1]) })
        try Data((good.joined(separator: "\n") + "\n").utf8).write(to: data.appendingPathComponent("chats.jsonl"))
        for arguments in [["init", "-q"], ["add", "."]] {
            #expect(try Self.run(git, arguments, in: data, home: home).status == 0)
        }

        let pass = try Self.run(python.path, ["-m", "pre_commit", "run", "--all-files"], in: data, home: home)
        #expect(pass.status == 0, "\(pass.output)")
        #expect(pass.output.contains("soc-validate") && pass.output.contains("Passed"), "\(pass.output)")

        try Data((badLine + "\n").utf8).write(to: data.appendingPathComponent("bad.jsonl"))
        #expect(try Self.run(git, ["add", "bad.jsonl"], in: data, home: home).status == 0)
        let fail = try Self.run(python.path, ["-m", "pre_commit", "run", "--all-files"], in: data, home: home)
        #expect(fail.status == 1, "\(fail.output)")
        #expect(fail.output.contains("Failed"), "\(fail.output)")
        #expect(fail.output.contains("bad.jsonl:1: \(badCode): "), "\(fail.output)")
        #expect(fail.output.contains("1 invalid"), "\(fail.output)")
    }
}
