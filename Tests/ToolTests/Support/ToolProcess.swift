import Foundation

/// Runs the built soc-tools executables the way a user does: real processes, real files, pipes.
enum ToolProcess {
    /// The folder holding the built executables: the one that holds this test binary.
    static let productsDirectory: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // On Linux the test binary is `<products>/soc-toolsPackageTests.xctest`.
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        return dir
    }()

    /// The path of a built tool, e.g. `soc-filter`.
    static func path(of tool: String) -> String {
        productsDirectory.appendingPathComponent(tool).path
    }

    /// What a finished process left behind.
    struct Outcome {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// Non-empty lines of stdout.
        var stdoutLines: [String] { stdoutText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// Runs `tool` with `arguments`; stdin from `stdinFile`, from `stdin` bytes, or empty.
    static func run(_ tool: String, _ arguments: [String], stdin: Data? = nil, stdinFile: String? = nil, in directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(of: tool))
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        return try execute(process, stdin: stdin, stdinFile: stdinFile)
    }

    /// Runs a `bash -c` pipeline with the built tools first on PATH.
    static func shell(_ script: String, in directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = productsDirectory.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        return try execute(process, stdin: nil, stdinFile: nil)
    }

    private static func execute(_ process: Process, stdin: Data?, stdinFile: String?) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("soc-tools-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let stdinFile {
            process.standardInput = FileHandle(forReadingAtPath: stdinFile)
        } else {
            let inURL = scratch.appendingPathComponent("stdin")
            FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
            process.standardInput = FileHandle(forReadingAtPath: inURL.path)
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Outcome(
            status: process.terminationStatus,
            stdout: try Data(contentsOf: outURL),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }
}

/// A temporary folder for one test, removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("soc-tools-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
        return path(name)
    }

    /// Writes raw bytes to `name` and returns its path.
    @discardableResult
    func write(_ name: String, bytes: Data) throws -> String {
        try bytes.write(to: url.appendingPathComponent(name))
        return path(name)
    }

    /// Reads `name` as text.
    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: url.appendingPathComponent(name)), as: UTF8.self)
    }

    /// Reads `name` as a JSON object (for reports).
    func readJSON(_ name: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: url.appendingPathComponent(name)))
        return object as? [String: Any] ?? [:]
    }
}

/// Paths in the repository: examples, rules, and the shared folder beside it (may be absent).
enum Repository {
    /// The package root (found from this source file's path).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared/<relative>` beside the project, or nil when it is absent (tests then skip).
    static func shared(_ relative: String) -> URL? {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
