import CPCRE2

/// A PCRE2 pattern compiled once (UTF + UCP, JIT when available) and matched against UTF-8 bytes.
///
/// Used on the hot paths (scrub rules, JSON Schema `pattern`) instead of Swift `Regex` or
/// NSRegularExpression, which measured about 100x slower here. An instance owns its match data,
/// so it is not thread-safe: give each thread its own (compiling again is cheap next to a run).
public final class PCRE2Regex {
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
    }

    /// The pattern text as given.
    public let pattern: String
    /// Number of capture groups in the pattern.
    public let captureCount: Int
    /// ASCII non-letter bytes that every match contains (PCRE2's fixed first and last code
    /// units). Letters are left out because caseless matching may match another case. A subject
    /// lacking one of these bytes cannot match: an exact `memchr` pre-check before matching.
    public let requiredBytes: [UInt8]
    private let code: OpaquePointer
    private let matchData: OpaquePointer
    private let usesJIT: Bool

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
        usesJIT = jit && pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        matchData = pcre2_match_data_create_from_pattern_8(compiled, nil)
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        var required: [UInt8] = []
        for (typeInfo, unitInfo) in [(PCRE2_INFO_FIRSTCODETYPE, PCRE2_INFO_FIRSTCODEUNIT), (PCRE2_INFO_LASTCODETYPE, PCRE2_INFO_LASTCODEUNIT)] {
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

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_code_free_8(code)
    }

    /// PCRE2's text for an error code.
    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "PCRE2 error \(code)"
    }

    /// The byte ranges of the whole match (group 0) and each capture group (nil when unset).
    public struct Match {
        public var groups: [Range<Int>?]
        /// The whole match.
        public var range: Range<Int> { groups[0]! }
    }

    /// Finds the first match at or after `offset`.
    /// - Parameter validUTF8: the subject is known valid UTF-8 (skips PCRE2's check, e.g. for
    ///   strings the JSON parser already validated).
    public func firstMatch(in subject: UnsafeRawBufferPointer, from offset: Int = 0, validUTF8: Bool = true) -> Match? {
        guard matchAt(subject, offset, validUTF8) else { return nil }
        return Match(groups: currentGroups())
    }

    /// The byte range of the first match at or after `offset`, without building the groups
    /// (nothing is allocated: for loops over matches on hot paths).
    public func firstMatchRange(in subject: UnsafeRawBufferPointer, from offset: Int = 0, validUTF8: Bool = true) -> Range<Int>? {
        guard matchAt(subject, offset, validUTF8) else { return nil }
        let vector = pcre2_get_ovector_pointer_8(matchData)!
        return Int(truncatingIfNeeded: vector[0])..<Int(truncatingIfNeeded: vector[1])
    }

    /// True when the pattern matches anywhere in `subject`.
    public func matches(_ subject: UnsafeRawBufferPointer, validUTF8: Bool = true) -> Bool {
        matchAt(subject, 0, validUTF8)
    }

    /// True when the pattern matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matchAt(UnsafeRawBufferPointer($0), 0, true) }
    }

    /// Every non-overlapping match, left to right (an empty match advances one character).
    public func allMatches(in subject: UnsafeRawBufferPointer, validUTF8: Bool = true) -> [Match] {
        var found: [Match] = []
        var offset = 0
        while offset <= subject.count, matchAt(subject, offset, validUTF8) {
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

    @inline(__always)
    private func matchAt(_ subject: UnsafeRawBufferPointer, _ offset: Int, _ validUTF8: Bool) -> Bool {
        // PCRE2 wants a non-null subject pointer even for an empty subject.
        var empty: UInt8 = 0
        if subject.baseAddress == nil {
            return withUnsafePointer(to: &empty) { matchAt(UnsafeRawBufferPointer(start: $0, count: 0), offset, validUTF8) }
        }
        let base = subject.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let options: UInt32 = validUTF8 ? PCRE2_NO_UTF_CHECK : 0
        let rc: Int32
        if usesJIT && validUTF8 {
            rc = pcre2_jit_match_8(code, base, subject.count, offset, 0, matchData, nil)
        } else {
            rc = pcre2_match_8(code, base, subject.count, offset, options, matchData, nil)
        }
        return rc >= 0
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
}
