import CPCRE2

/// A PCRE2 pattern compiled once (UTF + UCP, JIT when available) and matched against UTF-8 bytes.
///
/// Used on the hot paths (scrub rules, JSON Schema `pattern`) instead of Swift `Regex` or
/// NSRegularExpression, which measured about 100x slower here. An instance owns its match data,
/// so it is not thread-safe: give each thread its own (compiling again is cheap next to a run).
///
/// A match that PCRE2 cannot finish (match limit, depth or heap limit: catastrophic
/// backtracking such as `(x+x+)+y`) throws `MatchError`: it is never reported as "no match",
/// so that callers can say the answer is unknown instead of giving a wrong one.
public final class PCRE2Regex {
    /// Why PCRE2 could not finish a match: its error code and message. Not a "no match".
    public struct MatchError: Error, CustomStringConvertible, Sendable {
        /// PCRE2's (negative) error code, e.g. `PCRE2_ERROR_MATCHLIMIT`.
        public var code: Int32
        /// PCRE2's text for it ("match limit exceeded").
        public var message: String
        public var description: String { message }
    }

    /// What a callout sees: its number, the subject, where the match attempt is, and the
    /// capture groups set so far.
    public struct Callout {
        /// The number written in the pattern (`(?C3)`), 255 for automatic callouts.
        public let number: Int
        /// The subject being matched.
        public let subject: UnsafeRawBufferPointer
        /// Where the matcher is in the subject.
        public let position: Int
        let vector: UnsafeMutablePointer<Int>
        let top: Int

        /// The byte range of capture group `g` on the current path, nil when unset.
        public func group(_ g: Int) -> Range<Int>? {
            guard g < top else { return nil }
            let start = vector[2 * g]
            let end = vector[2 * g + 1]
            return start < 0 || end < start ? nil : start..<end
        }
    }
    /// Why a pattern did not compile: PCRE2's message and the offset in the pattern.
    public struct CompileError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var offset: Int
        public var description: String { "\(message) at offset \(offset)" }
    }

    /// Compile options beyond the always-on UTF and UCP.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Case-insensitive (Unicode-aware with UCP: "ÉLODIE" matches "élodie").
        public static let caseless = Options(rawValue: PCRE2_CASELESS)
        /// `^` and `$` match at line starts and ends inside the subject.
        public static let multiline = Options(rawValue: PCRE2_MULTILINE)
        /// `.` matches newlines too.
        public static let dotAll = Options(rawValue: PCRE2_DOTALL)
        /// Whitespace and `#` comments in the pattern are ignored.
        public static let extended = Options(rawValue: PCRE2_EXTENDED)
        /// The match must start at the start offset.
        public static let anchored = Options(rawValue: PCRE2_ANCHORED)
        /// A callout (number 255) before every item of the pattern: to count matching steps.
        public static let autoCallout = Options(rawValue: PCRE2_AUTO_CALLOUT)
        /// `PCRE2_DOLLAR_ENDONLY`: `$` matches only at the very end of the subject, not also before
        /// a final newline (ECMA-262's `$`, for JSON Schema patterns).
        public static let dollarEndOnly = Options(rawValue: PCRE2_DOLLAR_ENDONLY)
    }

    /// True when this PCRE2 was built with LF as its newline (Debian's default): `^` in
    /// multiline mode then matches only at the start and after `\n`.
    public static let newlineIsLF: Bool = {
        var value: UInt32 = 0
        pcre2_config_8(UInt32(PCRE2_CONFIG_NEWLINE), &value)
        return value == UInt32(PCRE2_NEWLINE_LF)
    }()

    /// The pattern text as given.
    public let pattern: String
    /// Number of capture groups in the pattern.
    public let captureCount: Int
    /// ASCII non-letter bytes that every match contains (PCRE2's fixed first and last code
    /// units). Letters are left out because caseless matching may match another case. A subject
    /// lacking one of these bytes cannot match: an exact `memchr` pre-check before matching.
    public let requiredBytes: [UInt8]
    /// PCRE2's lower bound on the length of any match, in characters (so at most its bytes):
    /// a search where fewer bytes are left fails without calling PCRE2, whose fixed cost per
    /// call (about 150 instructions) is most of a failing search at the end of a subject.
    public let minLength: Int
    private let code: OpaquePointer
    /// Frees `code` when the last regex sharing it goes.
    private let codeOwner: CodeOwner
    private let matchData: OpaquePointer
    private let matchContext: OpaquePointer
    private let usesJIT: Bool

    /// Called at each callout of the pattern (`(?Cn)`, or every item with `.autoCallout`);
    /// returning false makes the matcher backtrack from there, as if that point did not match.
    public var callout: ((Callout) -> Bool)? {
        didSet {
            if callout == nil {
                pcre2_set_callout_8(matchContext, nil, nil)
            } else {
                pcre2_set_callout_8(
                    matchContext, PCRE2Regex.calloutTrampoline, Unmanaged.passUnretained(self).toOpaque())
            }
        }
    }

    /// PCRE2's match limit for one match call (default 10,000,000): past it the match throws.
    public var matchLimit: UInt32 = defaultLimit {
        didSet { pcre2_set_match_limit_8(matchContext, matchLimit) }
    }

    /// PCRE2's depth limit for one match call: past it the match throws.
    public var depthLimit: UInt32 = defaultLimit {
        didSet { pcre2_set_depth_limit_8(matchContext, depthLimit) }
    }

    /// Compiles `pattern` with UTF, UCP and `options`, then JIT-compiles it when PCRE2 can.
    /// - Parameter jit: false skips the JIT step (about 5x the compile time): for patterns
    ///   compiled often and matched rarely, such as scrub's per-persona rules.
    public init(_ pattern: String, options: Options = [], jit: Bool = true) throws(CompileError) {
        self.pattern = pattern
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let flags = PCRE2_UTF | PCRE2_UCP | options.rawValue
        let compiled = pattern.utf8CString.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: buffer.count) {
                pcre2_compile_8($0, buffer.count - 1, flags, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw CompileError(message: Self.errorMessage(errorCode), offset: errorOffset)
        }
        code = compiled
        codeOwner = CodeOwner(compiled)
        usesJIT = jit && pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        matchData = pcre2_match_data_create_from_pattern_8(compiled, nil)
        matchContext = pcre2_match_context_create_8(nil)
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        var minimum: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_MINLENGTH), &minimum)
        minLength = Int(minimum)
        var required: [UInt8] = []
        for (typeInfo, unitInfo) in [
            (PCRE2_INFO_FIRSTCODETYPE, PCRE2_INFO_FIRSTCODEUNIT), (PCRE2_INFO_LASTCODETYPE, PCRE2_INFO_LASTCODEUNIT),
        ] {
            var type: UInt32 = 0
            var unit: UInt32 = 0
            pcre2_pattern_info_8(compiled, UInt32(typeInfo), &type)
            guard type == 1 else { continue }
            pcre2_pattern_info_8(compiled, UInt32(unitInfo), &unit)
            let isLetter = (0x41...0x5A).contains(unit) || (0x61...0x7A).contains(unit)
            if unit < 0x80 && !isLetter && !required.contains(UInt8(unit)) { required.append(UInt8(unit)) }
        }
        requiredBytes = required
    }

    /// The same compiled pattern (and JIT code) for another thread, with match data and a match
    /// context of its own and no callout: PCRE2 lets threads share a compiled pattern as long as
    /// each matches with its own match data (pcre2api, "Multithreading"), so a copy costs no
    /// compilation.
    public init(sharing other: PCRE2Regex) {
        pattern = other.pattern
        code = other.code
        codeOwner = other.codeOwner
        usesJIT = other.usesJIT
        captureCount = other.captureCount
        minLength = other.minLength
        requiredBytes = other.requiredBytes
        matchData = pcre2_match_data_create_from_pattern_8(code, nil)
        matchContext = pcre2_match_context_create_8(nil)
        // (Observers do not run in an initializer: the limits go to the context here.)
        matchLimit = other.matchLimit
        depthLimit = other.depthLimit
        if matchLimit != Self.defaultLimit { pcre2_set_match_limit_8(matchContext, matchLimit) }
        if depthLimit != Self.defaultLimit { pcre2_set_depth_limit_8(matchContext, depthLimit) }
    }

    /// The limits' initial value, which leaves PCRE2's own defaults in effect.
    private static let defaultLimit: UInt32 = 10_000_000

    deinit {
        pcre2_match_context_free_8(matchContext)
        pcre2_match_data_free_8(matchData)
    }

    /// Owns a compiled pattern that several regexes (one per thread) may share.
    private final class CodeOwner: @unchecked Sendable {
        let code: OpaquePointer
        init(_ code: OpaquePointer) { self.code = code }
        deinit { pcre2_code_free_8(code) }
    }

    /// PCRE2's text for an error code.
    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "PCRE2 error \(code)"
    }

    /// The number of the capture group named `name`, nil when there is none.
    public func groupNumber(named name: String) -> Int? {
        let n = name.withCString {
            pcre2_substring_number_from_name_8(code, UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self))
        }
        return n > 0 ? Int(n) : nil
    }

    /// The byte ranges of the whole match (group 0) and each capture group (nil when unset).
    public struct Match {
        public var groups: [Range<Int>?]
        /// The whole match.
        public var range: Range<Int> { groups[0]! }
    }

    /// Finds the first match at or after `offset`; throws when PCRE2 cannot finish.
    /// - Parameter validUTF8: the subject is known valid UTF-8 (skips PCRE2's check, e.g. for
    ///   strings the JSON parser already validated).
    public func firstMatch(in subject: UnsafeRawBufferPointer, from offset: Int = 0, validUTF8: Bool = true)
        throws(MatchError) -> Match?
    {
        guard try matchAt(subject, offset, validUTF8) else { return nil }
        return Match(groups: currentGroups())
    }

    /// The byte range of the first match at or after `offset`, without building the groups
    /// (nothing is allocated: for loops over matches on hot paths).
    public func firstMatchRange(in subject: UnsafeRawBufferPointer, from offset: Int = 0, validUTF8: Bool = true)
        throws(MatchError) -> Range<Int>?
    {
        guard try matchAt(subject, offset, validUTF8) else { return nil }
        let vector = pcre2_get_ovector_pointer_8(matchData)!
        return Int(truncatingIfNeeded: vector[0])..<Int(truncatingIfNeeded: vector[1])
    }

    /// Capture group `g` of the last match found (by `firstMatchRange`), nil when it did not
    /// take part or the pattern has no such group; reads PCRE2's offsets, allocates nothing.
    public func lastMatchGroup(_ g: Int) -> Range<Int>? {
        guard g >= 0 && g <= captureCount else { return nil }
        let vector = pcre2_get_ovector_pointer_8(matchData)!
        let start = Int(truncatingIfNeeded: vector[2 * g])
        let end = Int(truncatingIfNeeded: vector[2 * g + 1])
        return start < 0 ? nil : start..<end
    }

    /// True when the pattern matches anywhere in `subject`; throws when PCRE2 cannot finish.
    public func matches(_ subject: UnsafeRawBufferPointer, validUTF8: Bool = true) throws(MatchError) -> Bool {
        try matchAt(subject, 0, validUTF8)
    }

    /// True when the pattern matches anywhere in `text`; throws when PCRE2 cannot finish.
    public func matches(_ text: String) throws(MatchError) -> Bool {
        var text = text
        let result: Result<Bool, MatchError> = text.withUTF8 { buffer in
            do throws(MatchError) { return .success(try matchAt(UnsafeRawBufferPointer(buffer), 0, true)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Every non-overlapping match, left to right (an empty match advances one character).
    public func allMatches(in subject: UnsafeRawBufferPointer, validUTF8: Bool = true) throws(MatchError) -> [Match] {
        var found: [Match] = []
        var offset = 0
        while offset <= subject.count, try matchAt(subject, offset, validUTF8) {
            let groups = currentGroups()
            found.append(Match(groups: groups))
            guard let next = Self.searchOffset(after: groups[0]!, in: subject) else { break }
            offset = next
        }
        return found
    }

    /// Where to look for the next match after `range`: its end, or one whole character further
    /// for an empty match; nil when an empty match is at the end of the subject.
    public static func searchOffset(after range: Range<Int>, in subject: UnsafeRawBufferPointer) -> Int? {
        guard range.isEmpty else { return range.upperBound }
        guard range.upperBound < subject.count else { return nil }
        var next = range.upperBound + 1
        while next < subject.count && subject[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }

    private func matchAt(_ subject: UnsafeRawBufferPointer, _ offset: Int, _ validUTF8: Bool) throws(MatchError) -> Bool
    {
        if subject.count - offset < minLength { return false }
        // PCRE2 wants a non-null subject pointer even for an empty subject.
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(Self.emptySubject)
        let options: UInt32 = validUTF8 ? PCRE2_NO_UTF_CHECK : 0
        var rc: Int32
        if usesJIT && validUTF8 {
            rc = pcre2_jit_match_8(code, base, subject.count, offset, 0, matchData, matchContext)
            // The JIT's own stack (32 KiB) is small; the interpreter keeps its frames on the heap.
            if rc == PCRE2_ERROR_JIT_STACKLIMIT {
                rc = pcre2_match_8(code, base, subject.count, offset, options | PCRE2_NO_JIT, matchData, matchContext)
            }
        } else {
            rc = pcre2_match_8(code, base, subject.count, offset, options, matchData, matchContext)
        }
        if rc >= 0 { return true }
        if rc == PCRE2_ERROR_NOMATCH { return false }
        throw MatchError(code: rc, message: Self.errorMessage(rc))
    }

    private func currentGroups() -> [Range<Int>?] {
        let vector = pcre2_get_ovector_pointer_8(matchData)!
        return (0...captureCount).map { k in
            let start = Int(truncatingIfNeeded: vector[2 * k])
            let end = Int(truncatingIfNeeded: vector[2 * k + 1])
            // PCRE2_UNSET (all bits set) marks a group that did not take part.
            return start < 0 ? nil : start..<end
        }
    }

    /// A valid pointer for empty subjects (never written).
    nonisolated(unsafe) private static let emptySubject = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    /// PCRE2 calls this with the regex as its data; 0 continues, 1 backtracks.
    private static let calloutTrampoline:
        @convention(c) (UnsafeMutablePointer<pcre2_callout_block_8>?, UnsafeMutableRawPointer?) -> Int32 = {
            block, data in
            guard let block, let data else { return 0 }
            let regex = Unmanaged<PCRE2Regex>.fromOpaque(data).takeUnretainedValue()
            guard let callout = regex.callout else { return 0 }
            let b = block.pointee
            let info = Callout(
                number: Int(b.callout_number),
                subject: UnsafeRawBufferPointer(start: b.subject, count: b.subject_length),
                position: b.current_position,
                vector: UnsafeMutableRawPointer(b.offset_vector!).assumingMemoryBound(to: Int.self),
                top: Int(b.capture_top)
            )
            return callout(info) ? 0 : 1
        }
}
