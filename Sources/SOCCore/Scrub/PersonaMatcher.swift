/// The `{persona}` placeholder: any of the record's persona values (full names, first names,
/// usernames), compared the way a person reads a name, not byte for byte: under full Unicode
/// case folding after mapping `ı` and `İ` to `i` (so `STRAUSS` is `Strauß` and `ILKNUR` is
/// `İlknur`), and under canonical equivalence (`Zoë` composed or decomposed).
///
/// A rule using it is compiled once, not per persona pair: `{persona}` becomes a named group of
/// 1 to 100 characters other than a line break or `:` (no name holds one), and a PCRE2 callout at the end of the pattern accepts a
/// match only when that group holds one of the current record's values; otherwise PCRE2
/// backtracks and tries the other lengths, so the rule matches exactly where an alternation of
/// the values would. One matcher serves the rules of one target on one thread.
final class PersonaMatcher {
    /// The longest value `{persona}` can stand for, in characters.
    static let maxCharacters = 100
    /// The callout number the end-of-pattern check uses.
    static let checkCallout = 254

    // @exclusivity(unchecked) on the state read at every `{persona}` check: measured with
    // callgrind (bench/data/soc_realistic.jsonl, --threads 1), the dynamic access checks on it
    // (at every check, load and lookup) cost 42M instructions of the run (3,041M with them,
    // 2,999M without). One matcher serves one thread's rules; a callout never re-enters it.

    /// The current record's values (one entry per persona, at most two), once `loaded`:
    /// views borrowed from `personaCache`'s table (which keeps them valid for the record, see
    /// `PersonaFieldTable`) or of `ownedValues`, not retained class references. Retaining the
    /// shared `PersonaValues` at each load and releasing them at each loop over a record's
    /// values made the worker threads write the same reference counts (see `PersonaValuesView`);
    /// at --threads 1 the views cost less too: lineMayMatch 9.1 -> 6.8 and swift_retain +
    /// swift_release 33.0 -> 31.1 in callgrind's cost model (bench/data/soc_realistic.jsonl).
    private let entryViews = UnsafeMutablePointer<PersonaValuesView>.allocate(capacity: 2)
    @exclusivity(unchecked) private var entryCount = 0
    /// The values `load(_: PersonaNames)` made: kept alive while their view is loaded.
    private var ownedValues: PersonaValues?
    @exclusivity(unchecked) private var loaded = false
    /// The longest key of the loaded values, in bytes.
    @exclusivity(unchecked) private var longestKey = 0
    /// Gives the current record's persona values; asked at the first check of a record.
    var provider: (() -> PersonaNames)?
    /// The current chat record, whose `experience.persona1` / `persona2` give the values; used
    /// instead of `provider` when set (cheaper: values are cached per persona by their bytes).
    @exclusivity(unchecked) var personaDocument: JSONDocument?
    /// Values of the personas seen so far, by the raw bytes of their name and username.
    @exclusivity(unchecked) private var personaCache: PersonaValueCache
    /// Keys of the values seen so far, by their UTF-8 (for `load(_: PersonaNames)`; bounded).
    private var keyCache: [[UInt8]: [UInt8]] = [:]
    /// Keys of non-ASCII candidates seen so far.
    private let candidateKeys = CandidateKeyCache()
    /// The last candidate checked and the answer: PCRE2 backtracks through the rest of the
    /// pattern with the same candidate several times before it tries another.
    @exclusivity(unchecked) private var lastCandidate: [UInt8] = []
    @exclusivity(unchecked) private var lastFound: Bool?
    /// The candidate's key, reused across checks.
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    /// The loaded values' `PersonaValues.prints` (`printSlots` each), read where the values
    /// keep them: the first entry's and the second's (the first's again for one entry,
    /// `nonePrints` for none); nil when an entry has none. Copying both entries' prints and
    /// key ends into the matcher at every record and looping over the copies cost more:
    /// finishLoad 2.0 -> inlined, lookUp 7.1 -> 6.4, memcpy 18.8 -> 18.0 in callgrind's cost
    /// model (bench/data/soc_realistic.jsonl, --threads 1).
    @exclusivity(unchecked) private var printsA: UnsafePointer<ShortPrint>?
    @exclusivity(unchecked) private var printsB: UnsafePointer<ShortPrint>?
    /// The loaded keys' `KeyEnds` (`KeyEnds.slots` each), as `printsA` and `printsB`.
    @exclusivity(unchecked) private var keyEndsA: UnsafePointer<KeyEnds>?
    @exclusivity(unchecked) private var keyEndsB: UnsafePointer<KeyEnds>?
    /// Prints and key ends of no value, for a record without personas.
    private let nonePrints = UnsafeMutablePointer<ShortPrint>.allocate(capacity: PersonaValues.printSlots)
    private let noneKeyEnds = UnsafeMutablePointer<KeyEnds>.allocate(capacity: KeyEnds.slots)

    /// A matcher whose persona values are also found in (and added to) `shared`, the table
    /// of every thread of the run.
    init(shared: PersonaValueTable = PersonaValueTable()) {
        personaCache = PersonaValueCache(shared: shared)
        nonePrints.initialize(repeating: .none, count: PersonaValues.printSlots)
        noneKeyEnds.initialize(repeating: .none, count: KeyEnds.slots)
    }

    deinit {
        entryViews.deallocate()
        nonePrints.deallocate()
        noneKeyEnds.deallocate()
    }

    /// Forgets the record's values (call before each record).
    func reset() {
        loaded = false
        lastFound = nil
    }

    /// Takes the values of a record now (instead of asking `provider`).
    func load(_ names: PersonaNames) {
        if keyCache.count > 50_000 { keyCache.removeAll() }
        var raw: [[UInt8]] = []
        var keys: [[UInt8]] = []
        for value in names.names + names.firstNames + names.usernames {
            let bytes = Array(value.utf8)
            raw.append(bytes)
            let key: [UInt8]
            if let cached = keyCache[bytes] {
                key = cached
            } else {
                key = PersonaKey.key(value)
                keyCache[bytes] = key
            }
            if !keys.contains(key) { keys.append(key) }
        }
        let values = PersonaValues(raw: raw, keys: keys)
        ownedValues = values
        entryViews.initialize(to: values.view)
        entryCount = 1
        finishLoad()
    }

    /// Takes the values of a chat's two personas (`experience.persona1`, `persona2`).
    func load(_ document: JSONDocument) {
        entryCount = 0
        // Both personas in one walk of the keys (a `member` call per persona walked them twice).
        let (persona1, persona2) = PersonaValueCache.personas(document)
        if let persona1 { add(personaCache.values(document, persona: persona1)) }
        if let persona2 { add(personaCache.values(document, persona: persona2)) }
        finishLoad()
    }

    /// Appends a persona's values to the loaded ones (at most two a record).
    private func add(_ view: PersonaValuesView) {
        (entryViews + entryCount).initialize(to: view)
        entryCount += 1
    }

    /// The loaded values.
    private var entries: UnsafeBufferPointer<PersonaValuesView> {
        UnsafeBufferPointer(start: entryViews, count: entryCount)
    }

    /// Marks the values loaded and notes their longest key, prints and key ends.
    private func finishLoad() {
        if entryCount == 0 {
            longestKey = 0
            printsA = UnsafePointer(nonePrints)
            printsB = printsA
            keyEndsA = UnsafePointer(noneKeyEnds)
            keyEndsB = keyEndsA
        } else {
            let a = entryViews[0]
            let b = entryViews[entryCount - 1]
            longestKey = max(a.longestKey, b.longestKey)
            printsA = a.prints
            printsB = b.prints
            keyEndsA = a.keyEnds
            keyEndsB = b.keyEnds
        }
        loaded = true
    }

    /// Loads the record's values if they are not yet; false when there are none to load.
    private func ensureLoaded() -> Bool {
        if !loaded {
            if let personaDocument {
                load(personaDocument)
            } else {
                guard let provider else { return false }
                load(provider())
            }
        }
        return true
    }

    /// `contains` without the last-candidate memo, for `LabelLinePrecheck`: its candidates
    /// (the possible groups of a line) are each another string, so copying each one into the
    /// memo was work for nothing (the memo serves PCRE2 backtracking through the callout).
    func containsOnce(_ candidate: UnsafeRawBufferPointer) -> Bool {
        ensureLoaded() && lookUp(candidate)
    }

    /// `containsOnce` by comparing the candidate with each value and key in turn (the
    /// reference `lookUp`'s prints are tested against).
    func containsOnceByLoops(_ candidate: UnsafeRawBufferPointer) -> Bool {
        ensureLoaded() && lookUpByLoops(candidate)
    }

    /// True when `candidate` (UTF-8) is one of the record's values.
    func contains(_ candidate: UnsafeRawBufferPointer) -> Bool {
        guard ensureLoaded() else { return false }
        if let lastFound, lastCandidate.count == candidate.count,
            lastCandidate.withUnsafeBytes({ $0.elementsEqualBytes(candidate) })
        {
            return lastFound
        }
        let found = lookUp(candidate)
        lastCandidate.removeAll(keepingCapacity: true)
        lastCandidate.append(contentsOf: candidate)
        lastFound = found
        return found
    }

    /// True when `candidate` is one of the loaded values. Hand-written hot path (one call per
    /// `{persona}` candidate): the candidate's print, ASCII lowercased, is compared with the
    /// loaded values' prints (`PersonaValues.makePrints`) without a branch per value; only a
    /// non-ASCII candidate found by none goes on to be folded. Measured with callgrind
    /// (bench/data/soc_realistic.jsonl, --threads 1): the loops of length tests and `memcmp`
    /// calls (`lookUpByLoops`) mispredicted ~8 branches a call.
    private func lookUp(_ candidate: UnsafeRawBufferPointer) -> Bool {
        guard let a = printsA, let b = printsB else { return lookUpByLoops(candidate) }
        let exactPrint = ShortPrint(candidate)
        let print = exactPrint.asciiLowercased
        // The least difference (`min`, not a branch per slot): 0 when some print is equal.
        let leastA = min(
            min(a[0].difference(print), a[1].difference(print)), min(a[2].difference(print), a[3].difference(print)))
        let leastB = min(
            min(b[0].difference(print), b[1].difference(print)), min(b[2].difference(print), b[3].difference(print)))
        let least = min(leastA, leastB)
        let exact = candidate.count <= ShortPrint.exactCount
        // Equal prints of a longer candidate may differ in the middle: checked byte by byte.
        if least == 0 { return exact || lookUpByLoops(candidate) }
        if exact ? print.wordsAreASCII : JSONSplice.isASCII(candidate) { return false }
        return nonASCIIMatch(candidate, exactPrint)
    }

    /// `lookUp` by comparing the candidate with each value and key in turn.
    private func lookUpByLoops(_ candidate: UnsafeRawBufferPointer) -> Bool {
        for entry in entries {
            for k in 0..<entry.rawCount {
                let value = entry.raw(k)
                if value.count == candidate.count && value.elementsEqualBytes(candidate) { return true }
            }
        }
        guard entries.contains(where: { $0.keyCount > 0 }) else { return false }
        if JSONSplice.isASCII(candidate) {
            // An ASCII key is the candidate in lowercase: compared as it is read, nothing written.
            for entry in entries {
                for k in 0..<entry.keyCount {
                    let key = entry.key(k)
                    if key.count == candidate.count && Self.isLowercase(of: candidate, key) { return true }
                }
            }
            return false
        }
        return nonASCIIMatch(candidate, ShortPrint(candidate))
    }

    /// True when the key of non-ASCII `candidate` (whose print is `print`) is one of the
    /// loaded keys.
    private func nonASCIIMatch(_ candidate: UnsafeRawBufferPointer, _ print: ShortPrint) -> Bool {
        guard entries.contains(where: { $0.keyCount > 0 }) else { return false }
        // A key seen before answers at once (the checks below only rule out candidates whose
        // key cannot be a loaded one).
        if let key = candidateKeys.key(candidate, print) { return isLoadedKey(key) }
        // Each ASCII character of a candidate stays one character of its key (ASCII folds to
        // ASCII, one for one, and NFC composes marks onto it, never it onto another): a
        // candidate with more ASCII bytes than the longest key has cannot be a value, and is
        // not folded (long sentences before a `:)`, callgrind on bench/data/soc_realistic.jsonl).
        var ascii = 0
        for byte in candidate where byte < 0x80 { ascii += 1 }
        if ascii > longestKey { return false }
        if candidate.count >= 8, let endsA = keyEndsA, let endsB = keyEndsB {
            if !Self.asciiEndsMayMatch(words: candidate, endsA, count: KeyEnds.slots)
                && !Self.asciiEndsMayMatch(words: candidate, endsB, count: KeyEnds.slots)
            {
                return false
            }
        } else if !Self.asciiEndsMayMatch(candidate, entries) {
            return false
        }
        PersonaKey.key(candidate, into: &scratch)
        return scratch.withUnsafeBytes { key in
            candidateKeys.insert(candidate, print, key: key)
            return isLoadedKey(key)
        }
    }

    /// True when `key` is one of the loaded keys.
    private func isLoadedKey(_ key: UnsafeRawBufferPointer) -> Bool {
        for entry in entries {
            for k in 0..<entry.keyCount where entry.key(k).elementsEqualBytes(key) { return true }
        }
        return false
    }

    /// False when no key can be the key of non-ASCII `candidate`, judged by its ASCII ends
    /// alone, without folding it (most candidates are sentences before a colon). ASCII folds
    /// to its lowercase one for one and nothing composes into it, so a key starts with the
    /// candidate's ASCII prefix less its last byte (which a mark after it may compose with)
    /// and ends with its ASCII suffix, lowercased.
    static func asciiEndsMayMatch(_ candidate: UnsafeRawBufferPointer, _ entries: some Sequence<PersonaValuesView>)
        -> Bool
    {
        var prefix = 0
        while prefix < candidate.count && candidate[prefix] < 0x80 { prefix += 1 }
        prefix = max(prefix - 1, 0)
        var suffix = 0
        while suffix < candidate.count && candidate[candidate.count - 1 - suffix] < 0x80 { suffix += 1 }
        if prefix == 0 && suffix == 0 { return true }
        let tail = candidate.count - suffix
        for entry in entries {
            for k in 0..<entry.keyCount {
                let key = entry.key(k)
                guard key.count >= prefix + suffix else { continue }
                if Self.isLowercase(of: UnsafeRawBufferPointer(rebasing: candidate[0..<prefix]), key)
                    && Self.isLowercase(
                        of: UnsafeRawBufferPointer(rebasing: candidate[tail...]),
                        UnsafeRawBufferPointer(rebasing: key[(key.count - suffix)...]))
                {
                    return true
                }
            }
        }
        return false
    }

    /// `asciiEndsMayMatch` for a candidate of at least 8 bytes, from its first and last eight
    /// bytes and the keys' (`KeyEnds`), each key tested without a branch. Hand-written hot path
    /// (most candidates that reach it are sentences before a colon): measured with callgrind
    /// (bench/data/soc_realistic.jsonl, --threads 1), the byte loops mispredicted ~10 branches
    /// a call. It reads at most 7 bytes of the ASCII prefix and 8 of the suffix, so it rules
    /// out no candidate the loops keep.
    static func asciiEndsMayMatch(words candidate: UnsafeRawBufferPointer, _ keys: UnsafePointer<KeyEnds>, count: Int)
        -> Bool
    {
        let base = candidate.baseAddress!
        let first = base.loadUnaligned(as: UInt64.self)
        let last = base.loadUnaligned(fromByteOffset: candidate.count - 8, as: UInt64.self)
        let high: UInt64 = 0x8080_8080_8080_8080
        // The ASCII bytes before the first other one, less the last (a mark may compose with
        // it), at most 7; the ASCII bytes after the last other one, at most 8.
        let prefix = max((first & high).trailingZeroBitCount >> 3, 1) - 1
        let suffix = (last & high).leadingZeroBitCount >> 3
        if prefix == 0 && suffix == 0 { return true }
        let headMask: UInt64 = (1 << UInt64(8 * prefix)) &- 1
        let tailMask: UInt64 = ~0 << UInt64(64 - 8 * suffix)
        let head = ShortPrint.lowercased(first) & headMask
        let tail = ShortPrint.lowercased(last) & tailMask
        var least = UInt64.max
        for k in 0..<count {
            let key = keys[k]
            let short: UInt64 = key.count >= prefix + suffix ? 0 : 1
            least = min(least, ((key.head & headMask) ^ head) | ((key.tail & tailMask) ^ tail) | short)
        }
        return least == 0
    }

    /// True when `key` is ASCII `text` with A-Z lowercased (same length).
    private static func isLowercase(of text: UnsafeRawBufferPointer, _ key: UnsafeRawBufferPointer) -> Bool {
        for i in 0..<text.count {
            let byte = text[i]
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != key[i] { return false }
        }
        return true
    }

    /// The regex text `{persona}` number `k` of a pattern stands for.
    static func group(_ k: Int) -> String {
        "(?<\(groupName(k))>[^\\n:]{1,\(maxCharacters)})"
    }

    static func groupName(_ k: Int) -> String { "soc_persona\(k)" }

    /// `pattern` (with its `{persona}` groups expanded) followed by the check callout.
    static func wrap(_ pattern: String, extended: Bool) -> String {
        // A comment at the end of an extended pattern would swallow the callout.
        "(?:" + pattern + (extended ? "\n" : "") + ")(?C\(checkCallout))"
    }

    /// Makes `regex` (compiled from `wrap`) accept a match only when each of its `count`
    /// `{persona}` groups that took part holds a loaded value.
    func install(on regex: PCRE2Regex, count: Int) {
        let groups = (0..<count).compactMap { regex.groupNumber(named: Self.groupName($0)) }
        regex.callout = { [self] callout in
            guard callout.number == Self.checkCallout else { return true }
            for g in groups {
                guard let range = callout.group(g) else { continue }
                if !contains(UnsafeRawBufferPointer(rebasing: callout.subject[range])) { return false }
            }
            return true
        }
    }
}
