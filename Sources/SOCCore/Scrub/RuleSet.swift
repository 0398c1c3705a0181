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
            throw RuleFileError(file: path, line: 0, message: "cannot read rule file: \(String(cString: strerror(errno)))")
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            let names = try Self.ruleFiles(in: path)
            // A folder without rule files is most likely the wrong folder, not "no rules".
            guard !names.isEmpty else { throw RuleFileError(file: path, line: 0, message: "folder holds no *.rules file") }
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
                if let k = result.firstIndex(where: { $0.id == rule.id }) { result[k] = rule } else { result.append(rule) }
            }
        }
        return result
    }

    private static func ruleFiles(in folder: String) throws(RuleFileError) -> [String] {
        guard let dir = opendir(folder) else {
            throw RuleFileError(file: folder, line: 0, message: "cannot read rule folder: \(String(cString: strerror(errno)))")
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
            throw RuleFileError(file: path, line: 0, message: "cannot read rule file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RuleFileError(file: path, line: 0, message: "cannot read rule file: \(String(cString: strerror(errno)))")
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

/// The compiled rules of a rule set, grouped by target, with their per-persona caches.
public final class ScrubEngine {
    let messages: TextScrubber
    let personaNames: TextScrubber
    /// The rule ids in effect, in order (for `--list-rules` and the report).
    public let ruleIDs: [String]

    /// The rules it was compiled from and its cache size (to compile a copy for another thread).
    public let ruleSet: RuleSet
    public let cacheCapacity: Int
    /// Seconds it took to compile the rules.
    public private(set) var startSeconds = 0.0

    /// Compiles every rule of `set`; the first that does not compile is thrown.
    public init(_ set: RuleSet, cacheCapacity: Int = 4096) throws(RuleFileError) {
        let started = PersonaRegexCache.now()
        ruleSet = set
        self.cacheCapacity = cacheCapacity
        let rules = set.rules
        var compiled: [ScrubTarget: [CompiledRule]] = [:]
        let matchers: [ScrubTarget: PersonaMatcher] = [.message: PersonaMatcher(), .personaName: PersonaMatcher()]
        for rule in rules {
            let slot = compiled[rule.target, default: []].count
            compiled[rule.target, default: []].append(try CompiledRule(rule, slot: slot, matcher: matchers[rule.target]!))
        }
        messages = TextScrubber(rules: compiled[.message] ?? [], matcher: matchers[.message]!, cacheCapacity: cacheCapacity)
        personaNames = TextScrubber(rules: compiled[.personaName] ?? [], matcher: matchers[.personaName]!, cacheCapacity: cacheCapacity)
        ruleIDs = rules.map(\.id)
        startSeconds = PersonaRegexCache.now() - started
    }

    /// The same rules compiled again, with empty caches: PCRE2 patterns are not shared between
    /// threads. The rules compiled once already, so this cannot fail.
    public func copy() -> ScrubEngine {
        do { return try ScrubEngine(ruleSet, cacheCapacity: cacheCapacity) } catch { preconditionFailure("\(error)") }
    }

    /// What compiling rules cost over several engines (one per thread), for `--timings`.
    public struct CompileStatistics: Sendable {
        /// Engines (threads) that compiled the rules.
        public var engines = 0
        /// Patterns compiled when the engines were made (each rule once per engine).
        public var atStart = 0
        /// Seconds spent making the engines.
        public var startSeconds = 0.0
        /// Per-persona patterns compiled during the run (rules with {name}, {first_name}, {username}).
        public var perPersona = 0
        /// Seconds spent compiling them.
        public var perPersonaSeconds = 0.0
        /// Persona-set lookups of the per-persona cache, and how many found their patterns.
        public var lookups = 0
        public var hits = 0
        /// Persona sets dropped to stay within `--cache-size`.
        public var evictions = 0

        /// One line for stderr.
        public var summary: String {
            func ms(_ s: Double) -> String {
                let v = (s * 10000).rounded() / 10
                return "\(v) ms"
            }
            return "rules compiled at start: \(atStart) (\(engines) thread\(engines == 1 ? "" : "s"), \(ms(startSeconds))); "
                + "per-persona patterns compiled: \(perPersona) (\(ms(perPersonaSeconds))); cache lookups \(lookups), hits \(hits), evictions \(evictions)"
        }
    }

    /// The compilations of `engines` (one per thread), start-up and per persona set.
    public static func compileStatistics(_ engines: [ScrubEngine]) -> CompileStatistics {
        var a = CompileStatistics()
        for engine in engines {
            a.engines += 1
            a.atStart += engine.messages.rules.count + engine.personaNames.rules.count
            a.startSeconds += engine.startSeconds
            for cache in [engine.messages.cache, engine.personaNames.cache] {
                let s = cache.statistics
                a.lookups += s.lookups; a.hits += s.hits; a.perPersona += s.compiled
                a.evictions += s.evictions; a.perPersonaSeconds += s.compileSeconds
            }
        }
        return a
    }
}
