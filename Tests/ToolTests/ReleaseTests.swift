import Foundation
import SOCTestSupport
import Testing

/// The release as a user gets it: `scripts/release.sh` (which installs with scripts/install.sh,
/// as `make install` does) makes the tarball once; the tests unpack it and check that the binaries
/// need no Swift runtime and run from the unpacked folder, that completions and man pages are
/// there, and run the GitHub action's steps against that local tarball.
@Suite(.serialized) struct ReleaseTests {
    static let tools = ["soc-filter", "soc-validate", "soc-scrub", "soc-dedup", "soc-stats"]

    /// What one `scripts/release.sh` run left: the tarball (nil when it failed) and its log.
    struct Release: Sendable {
        var tarball: String?
        var log: String
        var folder: String
    }

    static let release: Release = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "soc-tools-release-\(UUID().uuidString)"
        ).path
        let run = Shell.run("scripts/release.sh '\(folder)/dist'", in: Repository.root)
        let tarball = run.output.split(separator: "\n").last.map(String.init)
        let made = run.status == 0 && tarball.map { FileManager.default.fileExists(atPath: $0) } == true
        return Release(tarball: made ? tarball : nil, log: run.output, folder: folder)
    }()

    /// The tarball unpacked into a fresh folder; returns the folder holding bin/ and share/.
    static func unpack(into dir: TemporaryDirectory) throws -> URL {
        let tarball = try #require(release.tarball, "scripts/release.sh failed:\n\(release.log.suffix(3000))")
        let run = Shell.run("tar -xzf '\(tarball)' -C '\(dir.url.path)'", in: dir.url)
        #expect(run.status == 0, "\(run.output)")
        let top = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(top.count == 1 && top[0].hasPrefix("soc-tools-"), "\(top)")
        return dir.url.appendingPathComponent(top[0])
    }

    @Test func theBinariesNeedNoSwiftRuntimeAndNoneOfTheStaticCLibraries() throws {
        let dir = try TemporaryDirectory()
        let root = try Self.unpack(into: dir)
        for tool in Self.tools {
            let binary = root.appendingPathComponent("bin/\(tool)").path
            let readelf = Shell.run("readelf -d '\(binary)'", in: dir.url)
            #expect(readelf.status == 0, "\(readelf.output)")
            let needed = readelf.output.split(separator: "\n").filter { $0.contains("(NEEDED)") }
                .compactMap { $0.split(separator: "[").last?.split(separator: "]").first.map(String.init) }
            #expect(!needed.isEmpty)
            #expect(
                !needed.contains { $0.hasPrefix("libswift") || $0.hasPrefix("libFoundation") }, "\(tool): \(needed)")
            // Linked from Debian's static archives.
            for library in ["libz.so", "libzstd.so", "libpcre2-8.so", "libxxhash.so", "liblzma.so", "libbz2.so"] {
                #expect(!needed.contains { $0.hasPrefix(library) }, "\(tool) links \(library) dynamically")
            }
            // What stays is the C runtime every Debian and Ubuntu system has (docs/install.md).
            let allowed: Set<String> = [
                "libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libdl.so.2", "libpthread.so.0",
                "librt.so.1", "libutil.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
            ]
            #expect(Set(needed).isSubset(of: allowed), "\(tool): \(needed)")
        }
    }

    @Test func theInstalledToolsRunFromTheirFolderWithoutTheToolchain() throws {
        let dir = try TemporaryDirectory()
        let root = try Self.unpack(into: dir)
        // Moved elsewhere, run with a PATH and library path that know nothing of Swift.
        let moved = dir.url.appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: root, to: moved)
        let sample = Repository.root.appendingPathComponent("examples/raw.jsonl").path
        let personas = Repository.root.appendingPathComponent("examples/personas.jsonl").path
        let script = """
            set -euo pipefail
            export PATH=/usr/bin:/bin LD_LIBRARY_PATH=
            cd '\(moved.path)/bin'
            ./soc-filter --version
            ./soc-validate --personas '\(personas)' --rejects /dev/null '\(sample)' | ./soc-scrub \
              | ./soc-dedup --key chat_id | ./soc-filter --min-turns 4 --rejects /dev/null > '\(dir.path("clean.jsonl"))'
            ./soc-stats --format json -o /dev/null '\(dir.path("clean.jsonl"))'
            """
        let run = Shell.run(script, in: dir.url, environment: ["PATH": "/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.output)")
        let clean = try dir.read("clean.jsonl").split(separator: "\n")
        #expect(clean.count == 50, "the README's pipeline gives 50 chats; got \(clean.count)")
    }

    @Test func completionsAndManPagesAreInstalled() throws {
        let dir = try TemporaryDirectory()
        let root = try Self.unpack(into: dir)
        for tool in Self.tools {
            let bash = try String(
                contentsOf: root.appendingPathComponent("share/bash-completion/completions/\(tool)"), encoding: .utf8)
            #expect(bash.contains("complete") && bash.contains(tool) && bash.contains("--diagnostics"))
            let zsh = try String(
                contentsOf: root.appendingPathComponent("share/zsh/site-functions/_\(tool)"), encoding: .utf8)
            #expect(zsh.hasPrefix("#compdef \(tool)"))
            let fish = try String(
                contentsOf: root.appendingPathComponent("share/fish/vendor_completions.d/\(tool).fish"), encoding: .utf8
            )
            #expect(fish.contains("complete -c \(tool)"))
            let man = try String(contentsOf: root.appendingPathComponent("share/man/man1/\(tool).1"), encoding: .utf8)
            #expect(man.contains(".Dt \(tool.uppercased()) 1"), "\(man.prefix(300))")
            #expect(man.contains("diagnostics"))
        }
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("share/doc/soc-tools/LICENSE").path))
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("share/soc-tools/rules/soc-chat.schema.json").path))
        let listing = Shell.run("tar -tvzf '\(Self.release.tarball ?? "")' | head -3", in: dir.url)
        #expect(listing.output.contains("0/0"), "owner and group 0 in the tarball: \(listing.output)")
    }

    // The composite action (action.yml), its steps run here by scripts/run-action-steps.py against
    // the local tarball: GitHub cannot be reached from a test.

    static func runAction(_ inputs: [String: String], cacheHit: Bool = false, toolCache: String, in workspace: URL)
        throws -> Shell.Run
    {
        let python = try #require(PythonEnvironment.python)
        var arguments = [
            python.path, Repository.root.appendingPathComponent("scripts/run-action-steps.py").path,
            Repository.root.appendingPathComponent("action.yml").path, "--tool-cache", toolCache,
        ]
        for (name, value) in inputs.sorted(by: { $0.key < $1.key }) { arguments += ["--input", "\(name)=\(value)"] }
        if cacheHit { arguments.append("--cache-hit") }
        return Shell.run(arguments.map { "'\($0)'" }.joined(separator: " "), in: workspace)
    }

    @Test func theActionInstallsTheTarballAndGatesGoodAndBadData() throws {
        guard PythonEnvironment.python != nil else {
            if PythonEnvironment.isRequired { Issue.record("no .build/pyenv: run scripts/pyenv.sh") }
            return
        }
        let tarball = try #require(Self.release.tarball, "scripts/release.sh failed:\n\(Self.release.log.suffix(3000))")
        let version = try #require(
            tarball.split(separator: "/").last.map(String.init)?.replacingOccurrences(of: "soc-tools-", with: "")
                .components(separatedBy: "-linux-").first)
        let sha = Shell.run("sha256sum '\(tarball)' | cut -d' ' -f1", in: Repository.root).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let dir = try TemporaryDirectory()
        let workspace = dir.url.appendingPathComponent("repo")
        try FileManager.default.createDirectory(
            at: workspace.appendingPathComponent("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("examples/personas.jsonl"),
            to: workspace.appendingPathComponent("data/personas.jsonl"))
        let good = Shell.run(
            "'\(ToolProcess.path(of: "soc-validate"))' --personas data/personas.jsonl --rejects /dev/null '\(Repository.root.path)/examples/raw.jsonl' > data/chats.jsonl",
            in: workspace)
        #expect(good.status == 0, "\(good.output)")
        let toolCache = dir.path("tool-cache")
        var inputs = [
            "version": version, "release-url": tarball, "sha256": sha, "files": "data/chats.jsonl",
            "personas": "data/personas.jsonl", "require": "turns.p50>=2\n  turns.p90>=2  \n",
        ]
        let first = try Self.runAction(inputs, toolCache: toolCache, in: workspace)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("step: Install soc-tools"))
        #expect(first.output.contains("valid, 0 invalid"), "\(first.output)")
        #expect(FileManager.default.fileExists(atPath: workspace.appendingPathComponent("soc-stats.json").path))
        #expect(first.output.contains("\"bin-dir\": \"\(toolCache)/soc-tools/\(version)/"), "\(first.output)")

        // A cache hit skips the download and uses what the first run unpacked.
        let second = try Self.runAction(inputs, cacheHit: true, toolCache: toolCache, in: workspace)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("step skipped: Install soc-tools"))

        // A bad record: annotations on the file and line, and the step fails.
        try Data("{\"chat_id\": 5}\n".utf8).write(to: workspace.appendingPathComponent("data/bad.jsonl"))
        inputs["files"] = "data/*.jsonl"
        let bad = try Self.runAction(inputs, cacheHit: true, toolCache: toolCache, in: workspace)
        #expect(bad.status == 1, "\(bad.output)")
        #expect(bad.output.contains("::error file=data/bad.jsonl,line=1::"), "\(bad.output)")
        #expect(bad.output.contains("step failed: soc-validate"))

        // A gate that does not hold fails the stats step.
        inputs["files"] = "data/chats.jsonl"
        inputs["require"] = "turns.p50>=1000"
        let gate = try Self.runAction(inputs, cacheHit: true, toolCache: toolCache, in: workspace)
        #expect(gate.status == 1, "\(gate.output)")
        #expect(gate.output.contains("requirement failed"), "\(gate.output)")

        // A wrong checksum stops the install.
        inputs["sha256"] = String(repeating: "0", count: 64)
        let tampered = try Self.runAction(inputs, toolCache: dir.path("other-cache"), in: workspace)
        #expect(tampered.status != 0)
        #expect(tampered.output.contains("step failed: Install soc-tools"))
    }
}

/// `bash -c` with stdout and stderr together.
enum Shell {
    struct Run: Sendable {
        var status: Int32
        var output: String
    }

    static func run(_ script: String, in directory: URL, environment: [String: String] = [:]) -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return Run(status: -1, output: "\(error)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: output)
    }
}
