import Foundation

/// Paths in the repository: examples, rules, and the shared folder beside it (may be absent).
public enum Repository {
    /// The package root (found from this source file's path).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The Swift files under `Sources/` (paths relative to it), each with its lines that are not
    /// `//` comments: what source-scanning tests (only `main` exits, only the channel writes to
    /// stderr) look through.
    public static func sourceCodeLines() throws -> [(file: String, lines: [Substring])] {
        let sources = root.appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter {
                $0.hasSuffix(".swift")
            } ?? []
        return try files.sorted().map { file in
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            return (
                file, text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            )
        }
    }

    /// `../shared/<relative>` beside the project, or nil when it is absent (tests then skip).
    public static func shared(_ relative: String) -> URL? {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
