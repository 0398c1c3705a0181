#if canImport(Glibc)
    import Glibc
#endif

/// A rule made ready to run: its pattern checked at start-up, its exact pre-checks, and either
/// one compiled regex (no placeholders) or a slot in the per-persona cache.
final class CompiledRule {
    let rule: ScrubRule
    let template: PatternTemplate
    let replacement: ReplacementTemplate
    /// Bytes every match contains (from PCRE2): a subject without one of them is skipped.
    let requiredBytes: [UInt8]
    /// The compiled pattern when it has no placeholders.
    let fixed: PCRE2Regex?
    /// `fixed`, unretained (this rule keeps it alive; see `TextScrubber.firstChange`).
    let fixedRef: Unmanaged<PCRE2Regex>?
    /// For patterns with placeholders: a superset pattern compiled once (placeholders as any
    /// text); a subject it does not match cannot match for any persona, so the per-persona
    /// pattern is neither compiled nor run.
    let prefilter: PCRE2Regex?
    /// Set for replacements that only split around the whole match (see `ReplacementTemplate`).
    let splitOnly: (before: Bool, after: Bool)?
    /// Index among the rules of the same target that use placeholders (the cache entry's slot).
    let slot: Int
    /// Where this rule's changes are counted (`ScrubChange.step`).
    let step: Int
    /// Checks `{persona}` groups against the current record's values (shared by the target's rules).
    let matcher: PersonaMatcher
    /// `matcher`, unretained (this rule keeps it alive).
    private let matcherRef: Unmanaged<PersonaMatcher>
    /// True when the pattern has `{persona}`: the matcher must hold the record's values.
    let usesPersona: Bool
    /// For a pattern that starts as the speaker label does: which lines may hold a match.
    let labelLines: LabelLinePrecheck?
    /// For the default tag rules: texts every match contains (see `TagLiteralPrecheck`).
    let tagLiterals: TagLiteralPrecheck?
    /// `tagLiterals`' groups as plain values (at most two; `tagGroupCount` 0 without them).
    private let tagGroups: (UInt32, UInt32)
    private let tagGroupCount: Int
    /// Whether `mayMatch` runs `prefilter` (not for the hand-written label rule).
    private let runsPrefilter: Bool

    /// Compiles `rule`; a pattern or replacement that does not compile is a `RuleFileError`.
    init(_ rule: ScrubRule, slot: Int, step: Int, matcher: PersonaMatcher) throws(RuleFileError) {
        self.rule = rule
        self.slot = slot
        self.step = step
        self.matcher = matcher
        matcherRef = Unmanaged.passUnretained(matcher)
        template = PatternTemplate(rule.pattern)
        usesPersona = template.personaCount > 0
        labelLines =
            usesPersona
            ? LabelLinePrecheck(
                pattern: rule.pattern, options: rule.options, replacementIsEmpty: rule.replacement.isEmpty) : nil
        tagLiterals = TagLiteralPrecheck(pattern: rule.pattern, options: rule.options)
        func failure(_ message: String) -> RuleFileError {
            RuleFileError(file: rule.file, line: rule.line, ruleID: rule.id, message: message)
        }
        // Same-length stand-ins keep PCRE2's offset pointing into the pattern as written.
        let checked: PCRE2Regex
        do {
            checked = try PCRE2Regex(template.expanded { $0.sameLengthDummy }, options: rule.options)
        } catch {
            throw failure("pattern does not compile: \(error.message) at offset \(error.offset)")
        }
        if template.hasPlaceholders {
            // Real values make alternations of different lengths (which lookbehinds reject).
            do {
                _ = try PCRE2Regex(template.expanded { _ in "(?:a\\.|bc\\'d)" }, options: rule.options)
            } catch {
                throw failure("pattern does not compile once placeholders are expanded: \(error.message)")
            }
            do {
                _ = try PCRE2Regex(
                    template.compilable(
                        for: PersonaNames([("a. bc'd", "e")]), extended: rule.options.contains(.extended)),
                    options: rule.options)
            } catch {
                throw failure("pattern does not compile once placeholders are expanded: \(error.message)")
            }
            fixed = nil
            // The suffix after the placeholders when the pattern allows it (fast: it starts with a
            // literal), else the whole pattern with "any text" for each placeholder.
            let cheap = PatternSuffix.after(lastPlaceholderOf: rule.pattern, options: rule.options)
            prefilter = (cheap ?? template.generalized).flatMap { try? PCRE2Regex($0, options: rule.options) }
        } else if usesPersona {
            do {
                fixed = try PCRE2Regex(
                    template.compilable(for: nil, extended: rule.options.contains(.extended)), options: rule.options)
            } catch {
                throw failure("pattern does not compile once {persona} is expanded: \(error.message)")
            }
            matcher.install(on: fixed!, count: template.personaCount)
            // The cheap suffix after the last `{persona}` (for the label: a colon that does not
            // start an emoticon) rules out most messages before the names are looked at.
            prefilter = PatternSuffix.after(lastPlaceholderOf: rule.pattern, options: rule.options).flatMap {
                try? PCRE2Regex($0, options: rule.options)
            }
        } else {
            fixed = checked
            prefilter = nil
        }
        requiredBytes = checked.requiredBytes
        do {
            replacement = try ReplacementTemplate(rule.replacement, captureCount: checked.captureCount)
        } catch {
            throw failure("bad replacement: \(error.message)")
        }
        splitOnly = replacement.splitOnly
        (tagGroups, tagGroupCount) = Self.plainGroups(tagLiterals)
        runsPrefilter = labelLines?.removes != true && prefilter != nil
        fixedRef = fixed.map { Unmanaged.passUnretained($0) }
    }

    /// `tagLiterals`' groups and their count, for `mayMatch`.
    private static func plainGroups(_ tags: TagLiteralPrecheck?) -> ((UInt32, UInt32), Int) {
        guard let groups = tags?.groups, !groups.isEmpty else { return ((0, 0), 0) }
        precondition(groups.count <= 2, "a tag rule with more than two groups of texts")
        return ((groups[0], groups.count > 1 ? groups[1] : ~0), groups.count)
    }

    /// `other` for another thread: its compiled patterns shared (each copy matches with match
    /// data of its own), its `{persona}` groups checked by `matcher`; nothing is compiled or
    /// checked again.
    init(copying other: CompiledRule, matcher: PersonaMatcher) {
        rule = other.rule
        slot = other.slot
        step = other.step
        self.matcher = matcher
        matcherRef = Unmanaged.passUnretained(matcher)
        template = other.template
        usesPersona = other.usesPersona
        labelLines = other.labelLines
        tagLiterals = other.tagLiterals
        requiredBytes = other.requiredBytes
        replacement = other.replacement
        splitOnly = other.splitOnly
        fixed = other.fixed.map { PCRE2Regex(sharing: $0) }
        if usesPersona, let fixed { matcher.install(on: fixed, count: template.personaCount) }
        prefilter = other.prefilter.map { PCRE2Regex(sharing: $0) }
        tagGroups = other.tagGroups
        tagGroupCount = other.tagGroupCount
        runsPrefilter = other.runsPrefilter
        fixedRef = fixed.map { Unmanaged.passUnretained($0) }
    }

    /// This rule's pattern for one persona set (rules with `{name}`, `{first_name}` or
    /// `{username}`), its `{persona}` groups checked by the matcher; nil if it does not compile.
    func compile(for names: PersonaNames, jit: Bool) -> PCRE2Regex? {
        guard
            let regex = try? PCRE2Regex(
                template.compilable(for: names, extended: rule.options.contains(.extended)), options: rule.options,
                jit: jit)
        else { return nil }
        if usesPersona { matcher.install(on: regex, count: template.personaCount) }
        return regex
    }

    /// For a split rule (`splitOnly`): the first match of `regex` (this rule's pattern for the
    /// record) in `subject` that puts a break inside it, with the offset the search that found
    /// it started from (the same search `TextScrubber.substitute` makes: hand it over as its
    /// `known` match); nil when the rule would not change `subject`. A match whose breaks fall
    /// only at the ends changes nothing (a tag alone in its message), and that is decided here
    /// without building any text.
    func changingMatch(_ subject: UnsafeRawBufferPointer, with regex: PCRE2Regex) throws(PCRE2Regex.MatchError)
        -> (from: Int, range: Range<Int>)?
    {
        guard let split = splitOnly else { preconditionFailure("changingMatch of a rule that does not only split") }
        // One match that is the whole text: no break lands inside it.
        if let tagLiterals, tagLiterals.isOneWholeMatch(subject) { return nil }
        let n = subject.count
        var offset = 0
        while offset <= n, let range = try regex.firstMatchRange(in: subject, from: offset) {
            if split.before && range.lowerBound != 0 && range.lowerBound != n { return (offset, range) }
            if split.after && range.upperBound != 0 && range.upperBound != n { return (offset, range) }
            guard let next = PCRE2Regex.searchOffset(after: range, in: subject) else { break }
            offset = next
        }
        return nil
    }

    /// `TextScrubber.substitute` of this rule's replacement for the matches of `regex` (its
    /// pattern for the record), searching only the lines `labelLines` leaves. `known`: a match
    /// `changingMatch` found in `subject` with this `regex` (it is not searched again).
    func substitute(
        _ regex: PCRE2Regex, in subject: UnsafeRawBufferPointer, known: (from: Int, range: Range<Int>)? = nil
    ) throws(PCRE2Regex.MatchError) -> ScrubPieces? {
        switch try substitution(regex, in: subject, known: known) {
        case nil: return nil
        case .pieces(let pieces): return pieces
        case .suffix(let from): return ScrubPieces(single: Array(subject[from...]))
        }
    }

    /// What `substitute` makes of a subject: its pieces, or the subject from an offset on.
    enum Substitution {
        case pieces(ScrubPieces)
        /// The one piece is `subject[from...]` (a leading speaker label removed), not copied.
        case suffix(from: Int)
    }

    /// `substitute`, telling a result that is the end of the subject by its offset.
    func substitution(
        _ regex: PCRE2Regex, in subject: UnsafeRawBufferPointer, known: (from: Int, range: Range<Int>)? = nil
    ) throws(PCRE2Regex.MatchError) -> Substitution? {
        if let labelLines, labelLines.removes {
            // The matcher borrowed, not retained and released per call (10k pairs on 15 MB of
            // the bench file, callgrind): the rule keeps it alive.
            let removal = matcherRef._withUnsafeGuaranteedRef { labelLines.removeLabels(from: subject, matcher: $0) }
            switch removal {
            case .unchanged: return nil
            case .removed(let text): return .pieces(ScrubPieces(single: text))
            case .suffix(let from): return .suffix(from: from)
            case .undecided: break
            }
        }
        return try TextScrubber.substitute(
            regex, replacement, in: subject, lines: labelLines.map { ($0, matcher) }, known: known
        ).map { .pieces(ScrubPieces($0)) }
    }

    /// False when this rule only breaks before its matches (`{break}$0`) and a pre-check shows
    /// they can only start at the first byte of the text `presence` holds, where a break
    /// changes nothing.
    func mayChange(_ presence: inout BytePresence) -> Bool {
        guard let split = splitOnly, split.before, !split.after, let tagLiterals else { return true }
        return tagLiterals.mayMatchAfterStart(presence.tags())
    }

    /// False when `subject` certainly has no match (exact pre-checks; no per-persona compile).
    func mayMatch(_ subject: UnsafeRawBufferPointer) throws(PCRE2Regex.MatchError) -> Bool {
        var presence = BytePresence(subject)
        return try mayMatch(subject, &presence)
    }

    /// `mayMatch`, sharing the byte searches of `subject` with the other rules.
    func mayMatch(_ subject: UnsafeRawBufferPointer, _ presence: inout BytePresence) throws(PCRE2Regex.MatchError)
        -> Bool
    {
        for byte in requiredBytes where !presence.contains(byte) { return false }
        return try mayMatch(holdingRequiredBytes: subject, &presence)
    }

    /// `mayMatch` of a subject known to hold every byte of `requiredBytes` (`TextScrubber`'s
    /// quick checks found them). Its other checks read plain values: through the optional
    /// `tagLiterals` and `labelLines` (copied, their arrays retained) they cost about 70
    /// instructions a call (callgrind, real20.jsonl, --threads 1: 65k calls).
    @inline(__always)
    func mayMatch(holdingRequiredBytes subject: UnsafeRawBufferPointer, _ presence: inout BytePresence)
        throws(PCRE2Regex.MatchError) -> Bool
    {
        if tagGroupCount > 0 {
            let present = presence.tags()
            if present & tagGroups.0 == 0 || (tagGroupCount > 1 && present & tagGroups.1 == 0) { return false }
        }
        // The hand-written label rule (`removeLabels`) rules out lines faster than the suffix.
        if runsPrefilter, let prefilter, try !prefilter.matches(subject) { return false }
        return true
    }
}

/// Which ASCII bytes a string contains, each searched (`memchr`) at most once.
struct BytePresence {
    let text: UnsafeRawBufferPointer
    private var checked: (UInt64, UInt64) = (0, 0)
    private var found: (UInt64, UInt64) = (0, 0)

    private var tagMask: UInt32?

    init(_ text: UnsafeRawBufferPointer) { self.text = text }

    /// `TagLiteralPrecheck.scan` of the text, made at most once (three rules ask for it).
    mutating func tags() -> UInt32 {
        if let tagMask { return tagMask }
        let mask = TagLiteralPrecheck.scan(text)
        tagMask = mask
        return mask
    }

    /// Records that `byte` (ASCII) occurs in the text, or not, as found elsewhere.
    mutating func note(_ byte: UInt8, present: Bool) {
        let bit = UInt64(1) << UInt64(byte & 63)
        if byte < 64 {
            checked.0 |= bit
            if present { found.0 |= bit }
        } else {
            checked.1 |= bit
            if present { found.1 |= bit }
        }
    }

    /// True when `byte` (ASCII) occurs in the text.
    // Forced inline: measured with callgrind (5 MB realistic, --threads 1), an outlined
    // `contains` costs 2.1M instructions of calls in the rule gate (0.9% of the run).
    @inline(__always)
    mutating func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        if byte < 64 {
            if checked.0 & bit != 0 { return found.0 & bit != 0 }
            checked.0 |= bit
            if search(byte) {
                found.0 |= bit
                return true
            }
        } else {
            if checked.1 & bit != 0 { return found.1 & bit != 0 }
            checked.1 |= bit
            if search(byte) {
                found.1 |= bit
                return true
            }
        }
        return false
    }

    // Forced inline with `contains`, which it serves (same measurement).
    @inline(__always)
    private func search(_ byte: UInt8) -> Bool {
        text.count > 0 && memchr(text.baseAddress!, Int32(byte), text.count) != nil
    }
}
