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
    /// `rules`, unretained: `rules` keeps them alive (see `scrubRules`).
    private let ruleRefs: [Unmanaged<CompiledRule>]

    init(rules: [CompiledRule], matcher: PersonaMatcher, cacheCapacity: Int) {
        self.rules = rules
        self.matcher = matcher
        let checks = rules.map { rule in
            let bytes = rule.requiredBytes
            return QuickCheck(
                count: min(bytes.count, 2), first: bytes.first ?? 0, second: bytes.count > 1 ? bytes[1] : 0)
        }
        quickChecks = checks
        ruleRefs = rules.map { Unmanaged.passUnretained($0) }
        literalsArePlain = rules.allSatisfy { $0.replacement.writesPlainBytes }
        gateList = Self.gateBytes(checks) ?? []
        cache = PersonaRegexCache(capacity: cacheCapacity, slots: rules.count)
        recordRegexes = Array(repeating: nil, count: rules.count)
        recordResolved = Array(repeating: false, count: rules.count)
    }

    /// The same rules for another thread (`CompiledRule.init(copying:matcher:)`), with an empty
    /// cache and `matcher` for their `{persona}` groups.
    func copy(matcher: PersonaMatcher) -> TextScrubber {
        TextScrubber(
            rules: rules.map { CompiledRule(copying: $0, matcher: matcher) }, matcher: matcher,
            cacheCapacity: cache.capacity)
    }

    /// One byte per rule that every match of it contains, or nil when some rule has none (or
    /// there are more than four): a string without any of these bytes can only need trimming.
    var gateBytes: [UInt8]? { Self.gateBytes(quickChecks) }

    private static func gateBytes(_ quickChecks: [QuickCheck]) -> [UInt8]? {
        guard quickChecks.allSatisfy({ $0.count > 0 }) else { return nil }
        var bytes: [UInt8] = []
        for check in quickChecks where !bytes.contains(check.first) { bytes.append(check.first) }
        return bytes.count <= 4 ? bytes : nil
    }
    /// True when every rule's replacement writes only bytes a JSON string holds as they are
    /// (`ReplacementTemplate.writesPlainBytes`): the rules then leave of a string without
    /// escapes parts of it and such bytes only, which need no escape either.
    let literalsArePlain: Bool

    /// `gateBytes` (none when nil), kept for `scrubKeeping`'s `gates`.
    private let gateList: [UInt8]

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
    // The common case (a rule without placeholders: its own regex) inlined where it is used:
    // a call for it per rule past its pre-checks (135k) cost scrubRules ~3 cost units
    // (callgrind, bench/data/soc_realistic.jsonl, --threads 1; the regex is still retained).
    @inline(__always)
    private func regex(_ rule: CompiledRule, _ names: () -> PersonaNames) -> PCRE2Regex? {
        if let fixed = rule.fixed { return fixed }
        return recordRegex(rule, names)
    }

    /// `regex` of a rule with placeholders: looked up once per record.
    @inline(never)
    private func recordRegex(_ rule: CompiledRule, _ names: () -> PersonaNames) -> PCRE2Regex? {
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
        // The stage gave the matcher the record's persona bytes (`personaDocument`): nothing to
        // install, and no closure made per string (two allocations per message, measured).
        if matcher.personaDocument != nil { return try run(text, names: names) }
        // Else the matcher asks for the record's names only when a `{persona}` check runs.
        let result: Result<ScrubOutcome?, RuleMatchFailure> = withoutActuallyEscaping(names) { names in
            matcher.provider = { [unowned self] in
                if recordNames == nil { recordNames = names() }
                return recordNames!
            }
            defer { matcher.provider = nil }
            do throws(RuleMatchFailure) { return .success(try run(text, names: names)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `scrubRules`, its failure named after the rule that was running.
    private func run(_ text: UnsafeRawBufferPointer, names: () -> PersonaNames) throws(RuleMatchFailure)
        -> ScrubOutcome?
    {
        var kept: Range<Int>?
        return try run(text, names: names, keeping: false, kept: &kept)
    }

    private func run(
        _ text: UnsafeRawBufferPointer, names: () -> PersonaNames, keeping: Bool, kept: inout Range<Int>?,
        gates: UInt8? = nil
    ) throws(RuleMatchFailure) -> ScrubOutcome? {
        do throws(PCRE2Regex.MatchError) {
            return try scrubRules(text, names: names, keeping: keeping, kept: &kept, gates: gates)
        } catch {
            throw RuleMatchFailure(rule: rules[current].rule.id, error: error)
        }
    }

    /// `scrub` of a text that stays where it is while the outcome is used (a record's bytes):
    /// when what is left is one part of the text (a leading speaker label cut off by the last
    /// rule, the ends trimmed), that part's range comes with an outcome without pieces, and
    /// nothing is copied. Else (or with `keepsTexts`, or without the stage's `personaDocument`)
    /// `scrub`'s outcome and nil.
    ///
    /// Copying each labelled message into an array of its own, and escaping it back into the
    /// record, cost about 1.5k instructions per changed message (callgrind, real20.jsonl,
    /// --threads 1); the stage writes the range as it is.
    ///
    /// `gates`, when given, tells which of `gateBytes` the text holds (bit k for byte k), as
    /// the stage found them: they are not searched again.
    func scrubKeeping(_ text: UnsafeRawBufferPointer, gates: UInt8? = nil, names: () -> PersonaNames)
        throws(RuleMatchFailure) -> (outcome: ScrubOutcome, kept: Range<Int>?)?
    {
        guard !keepsTexts, matcher.personaDocument != nil else {
            return try scrub(text, names: names).map { ($0, nil) }
        }
        var kept: Range<Int>?
        // Bound and returned, not mapped: `Optional.map` destroyed the optional outcome it
        // took (an outlined destroy of its three references per changed message: 34k calls,
        // ~115 instructions each; callgrind, bench/data/soc_realistic.jsonl, --threads 1).
        guard let outcome = try run(text, names: names, keeping: true, kept: &kept, gates: gates) else { return nil }
        return (outcome, kept)
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

    /// What the first rule that changes a text made of it, or where it matched (`firstChange`).
    private enum FirstChange {
        /// A rule that changes wherever it matches, by substituting: the text it made.
        case pieces(ScrubPieces)
        /// The same, when what it made is the text from this offset on.
        case suffix(Int)
        /// A split rule: the match that changes the text (substituting starts there).
        case match((from: Int, range: Range<Int>))
    }

    /// Whether `rule` (past its quick checks) changes `text`, and how; nil when it does not.
    @inline(__always)
    private func firstChange(
        _ rule: CompiledRule, _ text: UnsafeRawBufferPointer, _ names: () -> PersonaNames,
        _ presence: inout BytePresence
    ) throws(PCRE2Regex.MatchError) -> FirstChange? {
        // The quick checks were the rule's required bytes (at most two).
        guard try rule.mayMatch(holdingRequiredBytes: text, &presence) else { return nil }
        guard let fixed = rule.fixedRef else {
            guard let regex = recordRegex(rule, names) else { return nil }
            return try firstChange(rule, regex, text, &presence)
        }
        // The rule's own regex borrowed, as the rule is: `regex(rule, names)` retained and
        // released it per rule that ran (10.7k pairs on 15 MB of the bench file, callgrind).
        return try fixed.borrowing { regex throws(PCRE2Regex.MatchError) in
            try firstChange(rule, regex, text, &presence)
        }
    }

    /// `firstChange` once the rule's regex for this record is known.
    @inline(__always)
    private func firstChange(
        _ rule: CompiledRule, _ regex: PCRE2Regex, _ text: UnsafeRawBufferPointer, _ presence: inout BytePresence
    ) throws(PCRE2Regex.MatchError) -> FirstChange? {
        if rule.splitOnly == nil {
            // A rule that changes wherever it matches: substituting now answers "does it
            // match" and gives the result, so the text is not matched a second time later.
            switch try rule.substitution(regex, in: text) {
            case nil: return nil
            case .pieces(let pieces): return .pieces(pieces)
            case .suffix(let from): return .suffix(from)
            }
        }
        guard rule.mayChange(&presence), let match = try rule.changingMatch(text, with: regex) else { return nil }
        return .match(match)
    }

    /// The rule running now (for the failure's rule id).
    // @exclusivity(unchecked): as the per-record state above (measured with it).
    @exclusivity(unchecked) private var current = 0

    /// The rules' outcome for `text`. With `keeping`, an outcome whose one piece is a part of
    /// the text is told by its range (`kept`; see `scrubKeeping`).
    private func scrubRules(
        _ text: UnsafeRawBufferPointer, names: () -> PersonaNames, keeping: Bool, kept: inout Range<Int>?,
        gates: UInt8? = nil
    ) throws(PCRE2Regex.MatchError) -> ScrubOutcome? {
        var first = rules.count
        // What the first changing rule made of the text, when it was found by substituting
        // (the text from `firstSuffix` on, when that is what it made).
        var firstResult: ScrubPieces?
        var firstSuffix: Int?
        // The match that made the first changing split rule change (substituting starts there).
        var firstMatch: (from: Int, range: Range<Int>)?
        var presence = BytePresence(text)
        if let gates {
            for k in 0..<gateList.count { presence.note(gateList[k], present: gates >> UInt8(k) & 1 != 0) }
        }
        for k in 0..<quickChecks.count {
            // Plain values first, so a string no rule can touch costs no reference counting.
            let check = quickChecks[k]
            if check.count > 0 && !presence.contains(check.first) { continue }
            if check.count > 1 && !presence.contains(check.second) { continue }
            current = k
            // The rule borrowed from `rules` (which keeps it alive), not retained: `let rule =
            // rules[k]` retained and released it once per rule past the quick checks (2.6 per
            // message the rules run on: 37.5k of scrub's 172k retains on 15 MB of the bench
            // file, callgrind; the pair was 1.8% of scrub's time, perf).
            let found = try ruleRefs[k].borrowing { rule throws(PCRE2Regex.MatchError) in
                try firstChange(rule, text, names, &presence)
            }
            guard let change = found else { continue }
            first = k
            switch change {
            case .pieces(let pieces): firstResult = pieces
            case .suffix(let from): firstSuffix = from
            case .match(let match): firstMatch = match
            }
            break
        }
        if first == rules.count && !BlankText.needsTrim(text) { return nil }
        if !keepsTexts && (first == rules.count || (first == rules.count - 1 && firstSuffix != nil)),
            let outcome = onePart(text, from: firstSuffix ?? 0, changedBy: first, keeping: keeping, kept: &kept)
        {
            return outcome
        }
        if let from = firstSuffix { firstResult = ScrubPieces(single: Array(text[from...])) }

        // Pieces are changed in place: a rule that changes nothing (most, after the first
        // changing one) allocates nothing.
        var changes: [ScrubChange] = []
        var steps = ScrubSteps()
        var pieces: ScrubPieces
        if first < rules.count {
            let rule = rules[first]
            current = first
            // The first changing rule sees the text unchanged, which it was just found to match:
            // its pre-checks need not run again.
            // Taken, not copied: `pieces` must be the only reference to the array, or the trim
            // below copies it (about 300 instructions per changed message, callgrind).
            var result = firstResult.take()
            if result == nil, let regex = regex(rule, names) {
                // The match `changingMatch` found is not searched for again (one PCRE2 call of
                // about 900 instructions per message a split rule changes: 11.5k calls, callgrind,
                // bench/data/soc_realistic.jsonl, --threads 1).
                result = try rule.substitute(regex, in: text, known: firstMatch)
            }
            if let changed = result.take(),
                changed.count != 1 || !changed[0].withUnsafeBytes({ $0.elementsEqualBytes(text) })
            {
                record(&changes, &steps, rule.rule.id, rule.step, before: Array(text), after: changed.array)
                pieces = consume changed
            } else {
                pieces = ScrubPieces(single: Array(text))
            }
        } else {
            pieces = ScrubPieces(single: Array(text))
        }
        var k = first + 1
        while k < rules.count {
            let rule = rules[k]
            current = k
            var i = 0
            while i < pieces.count {
                let attempt: Result<ScrubPieces?, PCRE2Regex.MatchError> = pieces[i].withUnsafeBytes { bytes in
                    do throws(PCRE2Regex.MatchError) {
                        guard try rule.mayMatch(bytes), let regex = regex(rule, names) else { return .success(nil) }
                        return .success(try rule.substitute(regex, in: bytes))
                    } catch {
                        return .failure(error)
                    }
                }
                if let result = try attempt.get(), result.count != 1 || result[0] != pieces[i] {
                    record(&changes, &steps, rule.rule.id, rule.step, before: pieces[i], after: result.array)
                    pieces.replaceSubrange(i..<(i + 1), with: result.array)
                    i += result.count
                } else {
                    i += 1
                }
            }
            k += 1
        }
        var kept = 0
        for r in pieces.indices {
            // Looked at in place: a piece that is kept as it is (most) is not copied out and
            // back (a retain and two releases per changed message, callgrind).
            let (range, count, blank) = pieces.withPiece(r) { bytes in
                let range = BlankText.trimmedRange(bytes)
                let blank = range.isEmpty || BlankText.isBlank(UnsafeRawBufferPointer(rebasing: bytes[range]))
                return (range, bytes.count, blank)
            }
            if range.count == count && !blank {
                if kept != r { pieces[kept] = pieces[r] }
                kept += 1
                continue
            }
            let piece = pieces[r]
            let trimmed = range.count == count ? piece : Array(piece[range])
            if trimmed.count != piece.count {
                record(&changes, &steps, BuiltInStep.trim, BuiltInStep.trimStep, before: piece, after: [trimmed])
            }
            if blank {
                record(
                    &changes, &steps, BuiltInStep.dropEmptyMessage, BuiltInStep.dropEmptyMessageStep, before: piece,
                    after: [])
            } else {
                pieces[kept] = trimmed
                kept += 1
            }
        }
        if steps.count == 0 { return nil }
        // Checked here: a call per outcome to drop nothing cost ~40 instructions (24k calls).
        if kept < pieces.count { pieces.removeLast(pieces.count - kept) }
        return ScrubOutcome(pieces: pieces, changes: changes, steps: steps)
    }

    /// The outcome when what the rules leave of `text` is `text[from...]` (changed by rule
    /// `changedBy`, the last one, or by none when it is `rules.count`), trimmed: its steps, and
    /// the part's range in `kept` (with `keeping`) or the part copied once as its one piece.
    /// Nil when that part is blank (dropped: the general path says so). Only without texts.
    // Hand-written hot path: the steps `scrubRules` records for one piece, without its copy of
    // the whole text, trimmed and copied again, and its loop over pieces.
    private func onePart(
        _ text: UnsafeRawBufferPointer, from: Int, changedBy rule: Int, keeping: Bool, kept: inout Range<Int>?
    ) -> ScrubOutcome?? {
        let rest = UnsafeRawBufferPointer(rebasing: text[from...])
        let range = BlankText.trimmedRange(rest)
        if range.isEmpty || BlankText.isBlank(UnsafeRawBufferPointer(rebasing: rest[range])) { return nil }
        var steps = ScrubSteps()
        if rule < rules.count { steps.append(rules[rule].step) }
        if range.count != rest.count { steps.append(BuiltInStep.trimStep) }
        // Unchanged: the text needed no trim after all.
        if steps.count == 0 { return .some(nil) }
        let part = (from + range.lowerBound)..<(from + range.upperBound)
        guard keeping else {
            return ScrubOutcome(pieces: ScrubPieces(single: Array(text[part])), changes: [], steps: steps)
        }
        kept = part
        return ScrubOutcome(pieces: ScrubPieces(), changes: [], steps: steps)
    }

    /// Whether changes keep the texts before and after (for `--audit`); without them a change
    /// is only counted, and copying them cost 2–3% of a run's instructions.
    var keepsTexts = true

    /// Records a change by rule `id` (counted as `step`): its step always, the change itself
    /// (with its texts) only when texts are kept. Without them nothing is allocated here.
    @inline(__always)
    private func record(
        _ changes: inout [ScrubChange], _ steps: inout ScrubSteps, _ id: String, _ step: Int,
        before: @autoclosure () -> [UInt8], after: @autoclosure () -> [[UInt8]]
    ) {
        steps.append(step)
        if keepsTexts { changes.append(ScrubChange(rule: id, step: step, before: before(), after: after())) }
    }
}

extension Unmanaged {
    /// `_withUnsafeGuaranteedRef` (the instance borrowed, no reference count written; something
    /// else must keep it alive for the call) for a body with a typed error, which the standard
    /// library's untyped `rethrows` would turn into `any Error`.
    @inline(__always)
    fileprivate func borrowing<R, E: Error>(_ body: (Instance) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = _withUnsafeGuaranteedRef { instance in
            do throws(E) { return .success(try body(instance)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
