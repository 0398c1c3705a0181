#if canImport(Glibc)
import Glibc
#endif

/// Reads the XML-like tags of one SOC message (/work/shared/FORMATS.md, "Tags inside messages"):
/// `<image>…</image>`, `<gif>…</gif>`, `<video>…</video>`, `<audio>…</audio>`,
/// `<delay minutes|hours|days="N" …/>` and `<end/>`.
///
/// Only `<` followed by an optional `/` and a letter-led name that ends at white space, `/` or `>`
/// starts a tag. So `<3`, `a < b`, `->`, `<https://example.org>` and `<ana@example.org>` are text.
public enum ChatTagScanner {
    /// One problem with a message's tags.
    public struct Problem: Equatable, Sendable {
        /// `bad_tag` or `unbalanced_tag`.
        public var code: ReasonCode
        public var message: String
    }

    /// What one message holds: its tag problems and whether it has an `<end/>`.
    public struct Result: Sendable {
        public var problems: [Problem] = []
        public var hasEnd = false
    }

    static let mediaNames: [StaticString] = ["image", "gif", "video", "audio"]
    static let delayUnits: [[UInt8]] = ["minutes", "hours", "days"].map { Array($0.utf8) }

    /// The media tag named by `name`, as an index into `mediaNames`, or nil.
    @inline(__always)
    static func media(_ name: UnsafeRawBufferPointer) -> Int? {
        for (k, candidate) in mediaNames.enumerated() where equals(name, candidate) { return k }
        return nil
    }

    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
    }

    /// Scans one message (unescaped UTF-8). Allocates only to describe a problem.
    public static func scan(_ text: UnsafeRawBufferPointer) -> Result {
        var steps = 0
        return scan(text, steps: &steps)
    }

    /// Scans one message, adding to `steps` the bytes it examined (memchr included), so tests
    /// can show the scan is linear in the message without timing it.
    ///
    /// Linear because every byte is searched at most a few times: the next `>` is searched
    /// once and remembered until the scan passes it (600,000 `<a ` without a `>` rescanned the
    /// rest of the message for each and took 11 s).
    static func scan(_ text: UnsafeRawBufferPointer, steps: inout Int) -> Result {
        var result = Result()
        guard let base = text.baseAddress, text.count > 0 else { return result }
        let n = text.count
        var open: Int? // index into mediaNames
        var i = 0
        // The last search for `>`: where it started, and what it found (nil: none after it).
        var gtSearchStart = n + 1
        var gtFound: Int? = nil
        func nextGT(from j: Int) -> Int? {
            if j >= gtSearchStart, gtFound.map({ $0 >= j }) ?? true { return gtFound }
            let pointer = memchr(base + j, Int32(UInt8(ascii: ">")), n - j)
            gtFound = pointer.map { base.distance(to: UnsafeRawPointer($0)) }
            steps += (gtFound ?? n) - j + 1
            gtSearchStart = j
            return gtFound
        }
        while i < n {
            guard let found = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) else { steps += n - i; break }
            steps += base.distance(to: UnsafeRawPointer(found)) - i + 1
            i = base.distance(to: UnsafeRawPointer(found))
            var j = i + 1
            var closing = false
            if j < n && text[j] == UInt8(ascii: "/") {
                closing = true
                j += 1
            }
            let nameStart = j
            guard j < n, isLetter(text[j]) else { i += 1; continue }
            while j < n, isLetter(text[j]) || (text[j] >= 48 && text[j] <= 57) || text[j] == 95 || text[j] == 45 { j += 1 }
            steps += j - nameStart
            let name = UnsafeRawBufferPointer(rebasing: text[nameStart..<j])
            let mediaIndex = media(name)
            let isDelay = equals(name, "delay")
            let isEnd = equals(name, "end")
            // A name glued to other text (`<https:`, `<ana@`) is not a tag.
            if j < n, !isSpace(text[j]), text[j] != UInt8(ascii: "/"), text[j] != UInt8(ascii: ">") { i += 1; continue }
            guard let gt = j < n ? nextGT(from: j) : nil else {
                if mediaIndex != nil || isDelay || isEnd {
                    result.problems.append(Problem(code: .badTag, message: "<\(closing ? "/" : "")\(string(name)) is not closed with >"))
                }
                i = j
                continue
            }
            steps += gt - j
            var end = gt
            while end > j, isSpace(text[end - 1]) { end -= 1 }
            let selfClosing = end > j && text[end - 1] == UInt8(ascii: "/")
            if selfClosing { end -= 1 }
            var attributesStart = j
            while attributesStart < end, isSpace(text[attributesStart]) { attributesStart += 1 }
            let attributes = UnsafeRawBufferPointer(rebasing: text[attributesStart..<end])
            let tagStart = i
            func tagText() -> String { string(UnsafeRawBufferPointer(rebasing: text[tagStart...gt])) }
            i = gt + 1

            if closing {
                guard let mediaIndex, attributes.isEmpty, !selfClosing else {
                    result.problems.append(Problem(code: .badTag, message: "\(tagText()) is not a tag SOC chats use"))
                    continue
                }
                if open == mediaIndex {
                    open = nil
                } else if let current = open {
                    result.problems.append(Problem(code: .unbalancedTag, message: "\(tagText()) closes <\(mediaNames[current])>"))
                } else {
                    result.problems.append(Problem(code: .unbalancedTag, message: "\(tagText()) closes a tag that was not opened"))
                }
                continue
            }
            if let mediaIndex {
                if selfClosing || !attributes.isEmpty {
                    result.problems.append(Problem(code: .badTag, message: "\(tagText()): <\(mediaNames[mediaIndex])> takes no attributes and needs a closing </\(mediaNames[mediaIndex])>"))
                    continue
                }
                if let current = open {
                    result.problems.append(Problem(code: .unbalancedTag, message: "\(tagText()) opens inside <\(mediaNames[current])>"))
                }
                open = mediaIndex
            } else if isDelay {
                if !selfClosing {
                    result.problems.append(Problem(code: .badTag, message: "\(tagText()): <delay .../> must close itself"))
                } else if let problem = delayProblem(Array(attributes)) {
                    result.problems.append(Problem(code: .badTag, message: "\(tagText()): \(problem)"))
                }
            } else if isEnd {
                if selfClosing && attributes.isEmpty {
                    result.hasEnd = true
                } else {
                    result.problems.append(Problem(code: .badTag, message: "\(tagText()): the end tag is written <end/>"))
                }
            } else {
                result.problems.append(Problem(code: .badTag, message: "\(tagText()) is not a tag SOC chats use"))
            }
        }
        if let current = open {
            result.problems.append(Problem(code: .unbalancedTag, message: "<\(mediaNames[current])> is never closed"))
        }
        return result
    }

    /// `minutes="30" hours="6"`: known units, digits in double quotes, each unit once.
    static func delayProblem(_ text: [UInt8]) -> String? {
        var seen: [[UInt8]] = []
        var k = 0
        while true {
            while k < text.count, isSpace(text[k]) { k += 1 }
            if k == text.count { return nil }
            let start = k
            while k < text.count, isLetter(text[k]) { k += 1 }
            let unit = Array(text[start..<k])
            guard delayUnits.contains(unit) else { return "unknown delay attribute \(string(unit).isEmpty ? string(Array(text[start...])) : string(unit))" }
            guard !seen.contains(unit) else { return "\(string(unit)) given twice" }
            seen.append(unit)
            guard k + 1 < text.count, text[k] == UInt8(ascii: "="), text[k + 1] == UInt8(ascii: "\"") else { return "\(string(unit)) needs a value in double quotes" }
            k += 2
            let digitsStart = k
            while k < text.count, text[k] >= 48, text[k] <= 57 { k += 1 }
            guard k > digitsStart, k < text.count, text[k] == UInt8(ascii: "\"") else { return "\(string(unit)) must be a whole number" }
            k += 1
            if k < text.count, !isSpace(text[k]) { return "attributes must be separated by spaces" }
        }
    }

    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
    static func string(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
}
