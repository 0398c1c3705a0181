/// The compiled rules of a rule set, grouped by target, with their per-persona caches.
public final class ScrubEngine {
    /// The rules that target chat messages.
    let messageScrubber: TextScrubber
    /// The rules that target an SPB persona's `name`.
    let personaNameScrubber: TextScrubber
    /// The rule ids in effect, in order (for `--list-rules` and the report).
    public let ruleIDs: [String]
    /// The id of each `ScrubChange.step`: the built-in steps, then the rules in order.
    public var stepIDs: [String] { BuiltInStep.ids + ruleIDs }

    /// The rules it was compiled from and its cache size (to compile a copy for another thread).
    public let ruleSet: RuleSet
    public let cacheCapacity: Int
    /// Seconds it took to compile the rules (or, for a copy, to share them).
    public private(set) var startSeconds = 0.0
    /// Patterns this engine compiled when it was made (none for a copy).
    let compiledAtStart: Int

    /// The persona values made so far, shared with the copies of this engine (other threads).
    let personaValues: PersonaValueTable

    /// Compiles every rule of `set`; the first that does not compile is thrown.
    public convenience init(_ set: RuleSet, cacheCapacity: Int = 4096) throws(RuleFileError) {
        try self.init(set, cacheCapacity: cacheCapacity, personaValues: PersonaValueTable())
    }

    private init(_ set: RuleSet, cacheCapacity: Int, personaValues: PersonaValueTable) throws(RuleFileError) {
        let started = PersonaRegexCache.now()
        ruleSet = set
        self.cacheCapacity = cacheCapacity
        self.personaValues = personaValues
        let rules = set.rules
        var compiled: [ScrubTarget: [CompiledRule]] = [:]
        let matchers: [ScrubTarget: PersonaMatcher] = [
            .message: PersonaMatcher(shared: personaValues), .personaName: PersonaMatcher(shared: personaValues),
        ]
        for (index, rule) in rules.enumerated() {
            let slot = compiled[rule.target, default: []].count
            compiled[rule.target, default: []].append(
                try CompiledRule(
                    rule, slot: slot, step: BuiltInStep.ids.count + index, matcher: matchers[rule.target]!))
        }
        messageScrubber = TextScrubber(
            rules: compiled[.message] ?? [], matcher: matchers[.message]!, cacheCapacity: cacheCapacity)
        personaNameScrubber = TextScrubber(
            rules: compiled[.personaName] ?? [], matcher: matchers[.personaName]!, cacheCapacity: cacheCapacity)
        ruleIDs = rules.map(\.id)
        compiledAtStart = rules.count
        startSeconds = PersonaRegexCache.now() - started
    }

    /// The same rules for another thread, with empty caches and matchers of its own: the
    /// compiled patterns and the persona values are shared, nothing is compiled again (each
    /// engine compiled the rules anew before: ~4M instructions per thread, serial at start).
    public func copy() -> ScrubEngine { ScrubEngine(copying: self) }

    private init(copying other: ScrubEngine) {
        let started = PersonaRegexCache.now()
        ruleSet = other.ruleSet
        cacheCapacity = other.cacheCapacity
        personaValues = other.personaValues
        compiledAtStart = 0
        messageScrubber = other.messageScrubber.copy(matcher: PersonaMatcher(shared: personaValues))
        personaNameScrubber = other.personaNameScrubber.copy(matcher: PersonaMatcher(shared: personaValues))
        ruleIDs = other.ruleIDs
        startSeconds = PersonaRegexCache.now() - started
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
            return
                "rules compiled at start: \(atStart) (\(engines) thread\(engines == 1 ? "" : "s"), \(ms(startSeconds))); "
                + "per-persona patterns compiled: \(perPersona) (\(ms(perPersonaSeconds))); cache lookups \(lookups), hits \(hits), evictions \(evictions)"
        }
    }

    /// The compilations of `engines` (one per thread), start-up and per persona set.
    public static func compileStatistics(_ engines: [ScrubEngine]) -> CompileStatistics {
        var a = CompileStatistics()
        for engine in engines {
            a.engines += 1
            a.atStart += engine.compiledAtStart
            a.startSeconds += engine.startSeconds
            for cache in [engine.messageScrubber.cache, engine.personaNameScrubber.cache] {
                let s = cache.statistics
                a.lookups += s.lookups
                a.hits += s.hits
                a.perPersona += s.compiled
                a.evictions += s.evictions
                a.perPersonaSeconds += s.compileSeconds
            }
        }
        return a
    }
}
