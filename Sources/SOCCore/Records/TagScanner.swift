#if canImport(Glibc)
    import Glibc
#endif

/// The one scanner of the XML-like tags in a SOC message, and its grammar (docs/formats.md,
/// "Tags inside messages"): `<image>…</image>`, `<gif>…</gif>`, `<video>…</video>`,
/// `<audio>…</audio>`, `<delay minutes|hours|days="N" …/>` and `<end/>`.
///
/// Only `<` followed by an optional `/` and a letter-led name (letters, digits, `_`, `-`) that
/// ends at white space, `/` or `>` starts a tag. So `<3`, `a < b`, `->`, `<https://example.org>`
/// and `<ana@example.org>` are text. Each tag is reported with its name (matched without regard
/// to case, for counting) and, when it is ill-formed, its problem: soc-validate rejects those
/// (`bad_tag`, `unbalanced_tag`); soc-stats counts every tag by name and the ill-formed ones again.
public enum TagScanner {
    /// What is wrong with one tag.
    public struct Problem: Equatable, Sendable {
        /// `bad_tag` or `unbalanced_tag`.
        public var code: ReasonCode
        public var message: String
    }

    /// One tag as the scanner found it.
    public struct Tag: Sendable {
        public enum Role: Sendable {
            /// `<name …>` or `<name …/>`: what soc-stats counts by name.
            case opening
            /// `</name>`.
            case closing
            /// A media tag still open at the end of the message, reported again there.
            case unclosed
        }
        public var name: ChatTag
        public var role: Role
        /// Nil when the tag is well-formed.
        public var problem: Problem?
        /// For a well-formed `<delay …/>`: `minutes + 60·hours + 1440·days` (nil when it gives none).
        public var delayMinutes: Double?
    }

    /// Scans one message (unescaped UTF-8), calling `found` for each tag in order. Allocates
    /// only to describe a problem.
    public static func scan(_ text: UnsafeRawBufferPointer, _ found: (Tag) -> Void) {
        var steps = 0
        scan(text, steps: &steps, found)
    }

    /// Scans one message, adding to `steps` the bytes it examined (memchr included), so tests
    /// can show the scan is linear in the message without timing it.
    ///
    /// Linear because every byte is searched at most a few times: the next `>` is searched
    /// once and remembered until the scan passes it (600,000 `<a ` without a `>` rescanned the
    /// rest of the message for each and took 11 s).
    static func scan(_ text: UnsafeRawBufferPointer, steps: inout Int, _ found: (Tag) -> Void) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        let n = text.count
        var open: ChatTag?  // the media tag open now
        var i = 0
        // The last search for `>`: where it started, and what it found (nil: none after it).
        var gtSearchStart = n + 1
        var gtFound: Int? = nil
        func nextGT(from j: Int, _ steps: inout Int) -> Int? {
            if j >= gtSearchStart, gtFound.map({ $0 >= j }) ?? true { return gtFound }
            let pointer = memchr(base + j, Int32(UInt8(ascii: ">")), n - j)
            gtFound = pointer.map { base.distance(to: UnsafeRawPointer($0)) }
            steps += (gtFound ?? n) - j + 1
            gtSearchStart = j
            return gtFound
        }
        while i < n {
            guard let lt = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) else {
                steps += n - i
                break
            }
            steps += base.distance(to: UnsafeRawPointer(lt)) - i + 1
            i = base.distance(to: UnsafeRawPointer(lt))
            var j = i + 1
            var closing = false
            if j < n && text[j] == UInt8(ascii: "/") {
                closing = true
                j += 1
            }
            let nameStart = j
            guard j < n, isLetter(text[j]) else {
                i += 1
                continue
            }
            // The name's bytes lowered (`classify`) and whether one is uppercase, in the one pass
            // that finds its end.
            var lowered: UInt64 = 0
            var uppercase = false
            while j < n {
                let c = text[j]
                guard isLetter(c) || (c >= 48 && c <= 57) || c == 95 || c == 45 else { break }
                lowered = lowered << 8 | UInt64(c | 0x20)
                uppercase = uppercase || (c >= 65 && c <= 90)
                j += 1
            }
            steps += j - nameStart
            let nameBytes = UnsafeRawBufferPointer(rebasing: text[nameStart..<j])
            let name = j - nameStart <= 5 ? classify(lowered: lowered) : .unknown
            // The grammar's names are lowercase: `<Image>` is counted as an image, but ill-formed.
            let exact = name != .unknown && !uppercase
            // A name glued to other text (`<https:`, `<ana@`) is not a tag.
            if j < n, !isSpace(text[j]), text[j] != UInt8(ascii: "/"), text[j] != UInt8(ascii: ">") {
                i += 1
                continue
            }
            guard let gt = j < n ? nextGT(from: j, &steps) : nil else {
                if exact {
                    found(
                        Tag(
                            name: name, role: closing ? .closing : .opening,
                            problem: Problem(
                                code: .badTag,
                                message: "<\(closing ? "/" : "")\(string(nameBytes)) is not closed with >")))
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
            func report(
                _ role: Tag.Role, _ code: ReasonCode?, _ message: @autoclosure () -> String, delay: Double? = nil
            ) {
                found(
                    Tag(
                        name: name, role: role, problem: code.map { Problem(code: $0, message: message()) },
                        delayMinutes: delay))
            }
            i = gt + 1
            // The media names (image, gif, audio, video) are the first four cases: a compare, where
            // `contains` on a static array cost ~45 instructions and a mispredict a tag.
            let isMedia = exact && name.rawValue <= ChatTag.video.rawValue

            if closing {
                guard isMedia, attributes.isEmpty, !selfClosing else {
                    report(.closing, .badTag, "\(tagText()) is not a tag SOC chats use")
                    continue
                }
                if open == name {
                    open = nil
                    report(.closing, nil, "")
                } else if let current = open {
                    report(.closing, .unbalancedTag, "\(tagText()) closes <\(current.name)>")
                } else {
                    report(.closing, .unbalancedTag, "\(tagText()) closes a tag that was not opened")
                }
                continue
            }
            if isMedia {
                if selfClosing || !attributes.isEmpty {
                    report(
                        .opening, .badTag,
                        "\(tagText()): <\(name.name)> takes no attributes and needs a closing </\(name.name)>")
                    continue
                }
                if let current = open {
                    report(.opening, .unbalancedTag, "\(tagText()) opens inside <\(current.name)>")
                } else {
                    report(.opening, nil, "")
                }
                open = name
            } else if exact && name == .delay {
                if !selfClosing {
                    report(.opening, .badTag, "\(tagText()): <delay .../> must close itself")
                } else {
                    switch delay(attributes) {
                    case .failure(let problem): report(.opening, .badTag, "\(tagText()): \(problem.message)")
                    case .success(let minutes): report(.opening, nil, "", delay: minutes)
                    }
                }
            } else if exact && name == .end {
                if selfClosing && attributes.isEmpty {
                    report(.opening, nil, "")
                } else {
                    report(.opening, .badTag, "\(tagText()): the end tag is written <end/>")
                }
            } else {
                report(.opening, .badTag, "\(tagText()) is not a tag SOC chats use")
            }
        }
        if let current = open {
            found(
                Tag(
                    name: current, role: .unclosed,
                    problem: Problem(code: .unbalancedTag, message: "<\(current.name)> is never closed")))
        }
    }

    /// Why a delay's attributes are wrong.
    struct DelayProblem: Error { var message: String }

    /// `minutes="30" hours="6"`: known units, digits in double quotes, each unit once; the delay
    /// in minutes (nil when no unit is given).
    static func delay(_ text: UnsafeRawBufferPointer) -> Result<Double?, DelayProblem> {
        var seen: UInt8 = 0
        var total = 0.0
        var k = 0
        while true {
            while k < text.count, isSpace(text[k]) { k += 1 }
            if k == text.count { return .success(seen == 0 ? nil : total) }
            let start = k
            while k < text.count, isLetter(text[k]) { k += 1 }
            let unitBytes = UnsafeRawBufferPointer(rebasing: text[start..<k])
            // The unit's bytes (ASCII letters) compared where they lie; its String only for a message.
            var unit: String { string(unitBytes) }
            let bit: UInt8
            let scale: Double
            if unitBytes.equalsShort("minutes") {
                (bit, scale) = (1, 1)
            } else if unitBytes.equalsShort("hours") {
                (bit, scale) = (2, 60)
            } else if unitBytes.equalsShort("days") {
                (bit, scale) = (4, 1440)
            } else {
                return .failure(
                    DelayProblem(
                        message:
                            "unknown delay attribute \(unitBytes.isEmpty ? string(UnsafeRawBufferPointer(rebasing: text[start...])) : unit)"
                    ))
            }
            guard seen & bit == 0 else { return .failure(DelayProblem(message: "\(unit) given twice")) }
            seen |= bit
            guard k + 1 < text.count, text[k] == UInt8(ascii: "="), text[k + 1] == UInt8(ascii: "\"") else {
                return .failure(DelayProblem(message: "\(unit) needs a value in double quotes"))
            }
            guard let number = wholeNumber(text, from: k + 2), number.end < text.count,
                text[number.end] == UInt8(ascii: "\"")
            else {
                return .failure(DelayProblem(message: "\(unit) must be a whole number"))
            }
            total += number.value * scale
            k = number.end + 1
            if k < text.count, !isSpace(text[k]) {
                return .failure(DelayProblem(message: "attributes must be separated by spaces"))
            }
        }
    }

    /// The tag a name stands for, without regard to case; `.unknown` for any other name.
    static func classify(_ name: UnsafeRawBufferPointer) -> ChatTag {
        var lowered: UInt64 = 0
        guard name.count <= 5 else { return .unknown }
        for byte in name { lowered = lowered << 8 | UInt64(byte | 0x20) }
        return classify(lowered: lowered)
    }

    /// `classify` of a name of at most 5 bytes given as its bytes ORed with 0x20, first byte
    /// highest (as `classify` lowers them).
    static func classify(lowered: UInt64) -> ChatTag {
        switch lowered {
        case 0x69_6D_61_67_65: return .image  // "image"
        case 0x67_69_66: return .gif  // "gif"
        case 0x61_75_64_69_6F: return .audio  // "audio"
        case 0x76_69_64_65_6F: return .video  // "video"
        case 0x64_65_6C_61_79: return .delay  // "delay"
        case 0x65_6E_64: return .end  // "end"
        default: return .unknown
        }
    }

    /// The whole number whose digits begin at offset `k` of `text` (a delay's value) and the
    /// offset just after its last digit; nil when no digit is there.
    @inline(__always)
    static func wholeNumber(_ text: UnsafeRawBufferPointer, from k: Int) -> (value: Double, end: Int)? {
        var end = k
        var value = 0.0
        while end < text.count, text[end] >= 48, text[end] <= 57 {
            value = value * 10 + Double(text[end] - 48)
            end += 1
        }
        return end > k ? (value, end) : nil
    }

    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
    static func string(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
}
