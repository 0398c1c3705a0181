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
        var stdoutLines: [String] {
            stdoutText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
    }

    /// Runs `tool` with `arguments`; stdin from `stdinFile`, from `stdin` bytes, or empty; this
    /// process's environment plus `environment`.
    static func run(
        _ tool: String, _ arguments: [String], stdin: Data? = nil, stdinFile: String? = nil, in directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(of: tool))
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
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

    /// What a helper program (python, git, pre-commit) printed, stdout and stderr as one text.
    struct Combined {
        var status: Int32
        var output: String
    }

    /// Runs `executable` with `arguments`, this process's environment plus `environment`, and
    /// returns its status and its stdout and stderr together (as a person would read them).
    static func runCombined(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil
    ) throws -> Combined {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Combined(status: process.terminationStatus, output: output)
    }

    private static func execute(_ process: Process, stdin: Data?, stdinFile: String?) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "soc-tools-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        // A file that cannot be created makes the FileHandle below throw.
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let stdinFile {
            process.standardInput = FileHandle(forReadingAtPath: stdinFile)
        } else {
            let inURL = scratch.appendingPathComponent("stdin")
            _ = FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
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
