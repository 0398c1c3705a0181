#if canImport(Glibc)
    import Glibc
#endif

/// The rule files in effect: the defaults (built in, the same as `rules/scrub/`) and any given
/// with `--rules`. A given file whose name matches a loaded file replaces it; other files are
/// added after. A rule whose id is already loaded replaces that rule where it stood.
public struct RuleSet: Sendable {
    /// Each loaded file's name (its last path component), where it came from, and its rules.
    public private(set) var files: [(name: String, source: String, rules: [ScrubRule])] = []

    /// No files.
    public init() {}

    /// The built-in default rule files.
    public static func defaults() throws(RuleFileError) -> RuleSet {
        var set = RuleSet()
        for file in DefaultRules.files {
            try set.add(name: file.name, source: "<built-in>/rules/scrub/\(file.name)", text: file.text)
        }
        return set
    }

    /// Adds (or replaces by name) the file `name` with `text`; `source` appears in errors.
    public mutating func add(name: String, source: String, text: String) throws(RuleFileError) {
        let rules = try RuleFileParser.parse(text, file: source)
        if let k = files.firstIndex(where: { $0.name == name }) {
            files[k] = (name, source, rules)
        } else {
            files.append((name, source, rules))
        }
    }

    /// Adds the rule file at `path`, or every `*.rules` file in the folder at `path` (by name).
    public mutating func add(path: String) throws(RuleFileError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw RuleFileError(
                file: path, line: 0, message: "cannot read rule file: \(String(cString: strerror(errno)))")
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            let names = try Self.ruleFiles(in: path)
            // A folder without rule files is most likely the wrong folder, not "no rules".
            guard !names.isEmpty else {
                throw RuleFileError(file: path, line: 0, message: "folder holds no *.rules file")
            }
            for name in names {
                try add(path: path.hasSuffix("/") ? path + name : path + "/" + name)
            }
            return
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        try add(name: name, source: path, text: try Self.readText(path))
    }

    /// All rules in order; a later rule with an id already seen replaces the earlier one in place.
    public var rules: [ScrubRule] {
        var result: [ScrubRule] = []
        for file in files {
            for rule in file.rules {
                if let k = result.firstIndex(where: { $0.id == rule.id }) {
                    result[k] = rule
                } else {
                    result.append(rule)
                }
            }
        }
        return result
    }

    private static func ruleFiles(in folder: String) throws(RuleFileError) -> [String] {
        guard let dir = opendir(folder) else {
            throw RuleFileError(
                file: folder, line: 0, message: "cannot read rule folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".rules") && !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// The UTF-8 text of the file at `path`.
    static func readText(_ path: String) throws(RuleFileError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw RuleFileError(
                file: path, line: 0, message: "cannot read rule file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RuleFileError(
                    file: path, line: 0, message: "cannot read rule file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RuleFileError(file: path, line: 0, message: "rule file is not valid UTF-8")
        }
        return text
    }
}
