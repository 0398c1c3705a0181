/// One change a rule (or the built-in trim and drop steps) made to one string.
public struct ScrubChange: Sendable {
    /// The rule id, or `trim` / `drop-empty-message` for the built-in steps.
    public var rule: String
    /// The text the rule saw (UTF-8).
    public var beforeBytes: [UInt8]
    /// What it left: one string, several when the rule split the message, none when dropped.
    public var afterBytes: [[UInt8]]

    public init(rule: String, before: [UInt8], after: [[UInt8]]) {
        self.rule = rule
        beforeBytes = before
        afterBytes = after
    }

    /// The text the rule saw.
    public var before: String { String(decoding: beforeBytes, as: UTF8.self) }
    /// What it left, as strings.
    public var after: [String] { afterBytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// What the rules made of one string: the resulting strings (several after a split, none when
/// it was emptied) and each change on the way.
public struct ScrubOutcome: Sendable {
    public var pieces: [[UInt8]]
    public var changes: [ScrubChange]
}

/// Built-in step ids, counted and audited like rules.
public enum BuiltInStep {
    /// Leading and trailing whitespace removed from a resulting string.
    public static let trim = "trim"
    /// A message left empty, dropped.
    public static let dropEmptyMessage = "drop-empty-message"
    /// A chat part left without messages, dropped.
    public static let dropEmptyPart = "drop-empty-part"
    /// A part joined to the kept part before it (same sender, only dropped parts between).
    public static let mergeParts = "merge-parts"
}

/// A rule PCRE2 could not finish on a string (match, depth or heap limit): the record is
/// rejected (`regex_limit`), never passed as if the rule had not matched.
public struct RuleMatchFailure: Error, Sendable {
    /// The rule's id.
    public var rule: String
    /// PCRE2's error.
    public var error: PCRE2Regex.MatchError
}

/// Runs the rules of one target over strings. The common case (no rule can match) costs a few
/// `memchr` calls per string and allocates nothing.
final class TextScrubber {
    let rules: [CompiledRule]
    let cache: PersonaRegexCache
    /// Checks `{persona}` groups; loaded with the record's values when a rule needs them.
    let matcher: PersonaMatcher

    // The current record's persona values and patterns, looked up at most once per record.
    // @exclusivity(unchecked): see ScrubStage.messageArrays for the measurement (access checks
    // on this per-record state, about 1% of scrub's instructions); one worker owns this scrubber.
    @exclusivity(unchecked) private var recordNames: PersonaNames?
    @exclusivity(unchecked) private var recordRegexes: [PCRE2Regex?]
    @exclusivity(unchecked) private var recordResolved: [Bool]
    @exclusivity(unchecked) private var anyResolved = false

    /// Each rule's required bytes as plain values (at most two: PCRE2's first and last).
    private struct QuickCheck {
        var count: Int
        var first: UInt8
        var second: UInt8
    }
    private let quickChecks: [QuickCheck]

    init(rules: [CompiledRule], matcher: PersonaMatcher, cacheCapacity: Int) {
        self.rules = rules
        self.matcher = matcher
        quickChecks = rules.map { rule in
            let bytes = rule.requiredBytes
            return QuickCheck(
                count: min(bytes.count, 2), first: bytes.first ?? 0, second: bytes.count > 1 ? bytes[1] : 0)
        }
        cache = PersonaRegexCache(capacity: cacheCapacity, slots: rules.count)
        recordRegexes = Array(repeating: nil, count: rules.count)
        recordResolved = Array(repeating: false, count: rules.count)
    }

    /// One byte per rule that every match of it contains, or nil when some rule has none (or
    /// there are more than four): a string without any of these bytes can only need trimming.
    var gateBytes: [UInt8]? {
        guard quickChecks.allSatisfy({ $0.count > 0 }) else { return nil }
        var bytes: [UInt8] = []
        for check in quickChecks where !bytes.contains(check.first) { bytes.append(check.first) }
        return bytes.count <= 4 ? bytes : nil
    }

    /// Forgets the previous record's persona values; call before the strings of each record.
    func beginRecord() {
        recordNames = nil
        matcher.reset()
        if anyResolved {
            for k in recordResolved.indices {
                recordResolved[k] = false
                recordRegexes[k] = nil
            }
            anyResolved = false
        }
    }

    /// The regex of `rule` for this record, or nil when the record's values make it unusable.
    private func regex(_ rule: CompiledRule, _ names: () -> PersonaNames) -> PCRE2Regex? {
        if let fixed = rule.fixed { return fixed }
        if recordResolved[rule.slot] { return recordRegexes[rule.slot] }
        if recordNames == nil { recordNames = names() }
        let regex = cache.regex(for: rule, names: recordNames!)
        recordRegexes[rule.slot] = regex
        recordResolved[rule.slot] = true
        anyResolved = true
        return regex
    }

    /// Applies every rule, then trims; nil when nothing changed (the string stays byte-identical).
    /// `names` is asked only when a rule with placeholders passes its pre-checks, once per record.
    /// Throws when PCRE2 cannot finish a rule on the text (the answer would be unknown).
    func scrub(_ text: UnsafeRawBufferPointer, names: () -> PersonaNames) throws(RuleMatchFailure) -> ScrubOutcome? {
        // The matcher asks for the record's names only when a `{persona}` check runs.
        let result: Result<ScrubOutcome?, RuleMatchFailure> = withoutActuallyEscaping(names) { names in
            // Unless the stage gave the matcher the record's persona bytes (`personaDocument`).
            let installs = matcher.personaDocument == nil
            if installs {
                matcher.provider = { [unowned self] in
                    if recordNames == nil { recordNames = names() }
                    return recordNames!
                }
            }
            defer { if installs { matcher.provider = nil } }
            do throws(PCRE2Regex.MatchError) {
                return .success(try scrubRules(text, names: names))
            } catch {
                return .failure(RuleMatchFailure(rule: rules[current].rule.id, error: error))
            }
        }
        return try result.get()
    }

    /// `scrub` over bytes held in an array.
    func scrub(_ text: [UInt8], names: () -> PersonaNames) throws(RuleMatchFailure) -> ScrubOutcome? {
        let result: Result<ScrubOutcome?, RuleMatchFailure> = text.withUnsafeBytes { bytes in
            do throws(RuleMatchFailure) { return .success(try scrub(bytes, names: names)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The rule running now (for the failure's rule id).
    // @exclusivity(unchecked): as the per-record state above (measured with it).
    @exclusivity(unchecked) private var current = 0

    private func scrubRules(_ text: UnsafeRawBufferPointer, names: () -> PersonaNames) throws(PCRE2Regex.MatchError)
        -> ScrubOutcome?
    {
        var first = rules.count
        // What the first changing rule made of the text, when it was found by substituting.
        var firstResult: [[UInt8]]?
        var presence = BytePresence(text)
        for k in 0..<quickChecks.count {
            // Plain values first, so a string no rule can touch costs no reference counting.
            let check = quickChecks[k]
            if check.count > 0 && !presence.contains(check.first) { continue }
            if check.count > 1 && !presence.contains(check.second) { continue }
            let rule = rules[k]
            current = k
            guard try rule.mayMatch(text, &presence), let regex = regex(rule, names) else { continue }
            if rule.splitOnly == nil {
                // A rule that changes wherever it matches: substituting now answers "does it
                // match" and gives the result, so the text is not matched a second time below.
                if let result = try Self.substitute(regex, rule.replacement, in: text) {
                    first = k
                    firstResult = result
                    break
                }
            } else if try rule.changes(text, with: regex) {
                first = k
                break
            }
        }
        if first == rules.count && !BlankText.needsTrim(text) { return nil }

        var pieces = [Array(text)]
        var changes: [ScrubChange] = []
        for (k, rule) in rules.enumerated() where k >= first {
            current = k
            var next: [[UInt8]] = []
            // The first changing rule sees the text unchanged, which it was just found to match:
            // its pre-checks need not run again.
            let checked = k == first
            for piece in pieces {
                if checked, let firstResult {
                    // `pieces` is still the text alone.
                    if firstResult.count != 1 || firstResult[0] != piece {
                        changes.append(ScrubChange(rule: rule.rule.id, before: piece, after: firstResult))
                        next.append(contentsOf: firstResult)
                    } else {
                        next.append(piece)
                    }
                    continue
                }
                let attempt: Result<[[UInt8]]?, PCRE2Regex.MatchError> = piece.withUnsafeBytes { bytes in
                    do throws(PCRE2Regex.MatchError) {
                        if !checked { guard try rule.mayMatch(bytes) else { return .success(nil) } }
                        guard let regex = regex(rule, names) else { return .success(nil) }
                        return .success(try Self.substitute(regex, rule.replacement, in: bytes))
                    } catch {
                        return .failure(error)
                    }
                }
                let result = try attempt.get()
                if let result, result.count != 1 || result[0] != piece {
                    changes.append(ScrubChange(rule: rule.rule.id, before: piece, after: result))
                    next.append(contentsOf: result)
                } else {
                    next.append(piece)
                }
            }
            pieces = next
        }
        var kept: [[UInt8]] = []
        for piece in pieces {
            let range = piece.withUnsafeBytes { BlankText.trimmedRange($0) }
            let trimmed = range.count == piece.count ? piece : Array(piece[range])
            if trimmed.count != piece.count {
                changes.append(ScrubChange(rule: BuiltInStep.trim, before: piece, after: [trimmed]))
            }
            if trimmed.isEmpty || trimmed.withUnsafeBytes(BlankText.isBlank) {
                changes.append(ScrubChange(rule: BuiltInStep.dropEmptyMessage, before: piece, after: []))
            } else {
                kept.append(trimmed)
            }
        }
        if changes.isEmpty { return nil }
        return ScrubOutcome(pieces: kept, changes: changes)
    }

    /// Replaces every match of `regex` in `subject`; nil when there is none. A `{break}` ends the
    /// current piece: blanks next to a break are dropped, and so are pieces a break left empty.
    static func substitute(_ regex: PCRE2Regex, _ replacement: ReplacementTemplate, in subject: UnsafeRawBufferPointer)
        throws(PCRE2Regex.MatchError) -> [[UInt8]]?
    {
        var segments: [[UInt8]] = []
        var offset = 0
        var copied = 0
        // The match's range and groups are read from PCRE2's offsets (no groups array per match).
        while offset <= subject.count, let range = try regex.firstMatchRange(in: subject, from: offset) {
            if segments.isEmpty {
                // Most results are the subject less a label: one allocation of its size.
                segments.append([])
                segments[0].reserveCapacity(subject.count)
            }
            segments[segments.count - 1].append(contentsOf: subject[copied..<range.lowerBound])
            for piece in replacement.pieces {
                switch piece {
                case .literal(let bytes): segments[segments.count - 1].append(contentsOf: bytes)
                case .group(let g):
                    if let group = regex.lastMatchGroup(g) {
                        segments[segments.count - 1].append(contentsOf: subject[group])
                    }
                case .messageBreak: segments.append([])
                }
            }
            copied = range.upperBound
            guard let next = PCRE2Regex.searchOffset(after: range, in: subject) else { break }
            offset = next
        }
        guard !segments.isEmpty else { return nil }
        segments[segments.count - 1].append(contentsOf: subject[copied...])
        guard segments.count > 1 else { return segments }
        var result: [[UInt8]] = []
        for (k, segment) in segments.enumerated() {
            let range = segment.withUnsafeBytes {
                BlankText.trimmedRange($0, leading: k > 0, trailing: k < segments.count - 1)
            }
            if !range.isEmpty { result.append(Array(segment[range])) }
        }
        return result
    }
}
