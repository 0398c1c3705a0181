#if canImport(Glibc)
    import Glibc
#endif

/// Refuses, before anything is written, a run whose output would destroy an input or another
/// output: an output that is an input (`soc-filter x -o x`, `--rejects x` with input x,
/// `-o x < x`) or one file named as two outputs (`-o y --rejects y`). Regular files are compared
/// by device and inode (so `./y` and `y`, or a link to y, are the same file); devices and FIFOs
/// such as `/dev/null` may be named any number of times.
enum OutputPaths {
    /// What an output or input is on disk.
    private enum Identity: Hashable {
        case file(dev: UInt64, ino: UInt64)
        /// A file that does not exist yet, by its absolute path.
        case path(String)
    }

    /// Throws a usage error (status 2) when two of `outputs`, or an output and an input, are one file.
    static func check(outputs: [(option: String, path: String)], inputs: [InputFile], stdoutIsOutput: Bool) throws {
        var inputFiles: [Identity: String] = [:]
        for input in inputs {
            var info = stat()
            let found = input.isStandardInput ? fstat(0, &info) == 0 : stat(input.path, &info) == 0
            if found && info.st_mode & S_IFMT == S_IFREG {
                inputFiles[.file(dev: UInt64(info.st_dev), ino: UInt64(info.st_ino))] =
                    input.isStandardInput ? "standard input" : input.path
            }
        }
        var named = outputs.compactMap { output in identity(of: output.path).map { ($0, output) } }
        if stdoutIsOutput {
            var info = stat()
            if fstat(1, &info) == 0 && info.st_mode & S_IFMT == S_IFREG {
                named.append(
                    (.file(dev: UInt64(info.st_dev), ino: UInt64(info.st_ino)), (option: "standard output", path: "-")))
            }
        }
        var seen: [Identity: String] = [:]
        for (identity, output) in named {
            if let input = inputFiles[identity] {
                let what = output.path == "-" ? "standard output" : "'\(output.path)' (\(output.option))"
                throw RunFailure(
                    .usage,
                    "\(what) is the input \(input == "standard input" ? input : "'\(input)'"): writing it would destroy the input"
                )
            }
            if let other = seen[identity] {
                throw RunFailure(.usage, "'\(output.path)' is named as two outputs (\(other) and \(output.option))")
            }
            seen[identity] = output.option
        }
    }

    /// A regular file's device and inode, an absolute path for a file still to be created, or
    /// nil for stdout, devices, FIFOs and sockets.
    private static func identity(of path: String) -> Identity? {
        if path == "-" || path == "/dev/stdout" || path == "/dev/stderr" { return nil }
        var info = stat()
        if stat(path, &info) == 0 {
            return info.st_mode & S_IFMT == S_IFREG ? .file(dev: UInt64(info.st_dev), ino: UInt64(info.st_ino)) : nil
        }
        let target = OutputSink.resolvingLinks(path)
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
        guard let resolved = realpath(directory, nil) else { return .path(target) }
        defer { free(resolved) }
        return .path(String(cString: resolved) + "/" + base)
    }
}
