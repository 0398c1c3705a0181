/// The tags of SOC chat messages that soc-stats counts (FORMATS.md, "Tags inside messages").
public enum ChatTag: Int, CaseIterable, Sendable {
    case image, gif, audio, video, delay, end
    /// A well-formed tag with another name (`<laugh>`, `<sticker/>`): a flaw worth counting.
    case unknown

    /// The name used in metric names and JSON (`tags.<name>.…`).
    public var name: String {
        switch self {
        case .image: return "image"
        case .gif: return "gif"
        case .audio: return "audio"
        case .video: return "video"
        case .delay: return "delay"
        case .end: return "end"
        case .unknown: return "unknown"
        }
    }

    /// The bit of this tag in a set of tags.
    @inline(__always)
    public var bit: UInt8 { 1 << UInt8(rawValue) }
}

/// Finds opening tags in a message.
///
/// A tag is `<` + a name (an ASCII letter, then letters, digits, `_`, `-`) + optional attributes
/// + `>` or `/>`, with no `<` before its `>`. The name must be followed by `>`, `/` or a blank, so
/// `<3`, `a < b`, `->`, `<https://example.org>` and `<me@example.org>` are text, as FORMATS.md
/// says. Closing tags (`</image>`) are not counted. Known names match case-insensitively.
public enum TagScanner {
    /// Calls `found` for each opening tag, with the delay in minutes for `<delay …/>`
    /// (`minutes + 60·hours + 1440·days`; nil when it has none of them).
    @inline(__always)
    public static func scan(_ bytes: UnsafeRawBufferPointer, _ found: (ChatTag, Double?) -> Void) {
        var steps = 0
        scan(bytes, steps: &steps, found)
    }

    /// Scans as `scan(_:_:)` does, adding to `steps` each byte examined, so tests can show the
    /// scan is linear without timing it. Linear because a search for `>` stops at the next `<`,
    /// where the scan resumes: each byte is looked at a bounded number of times.
    @inline(__always)
    static func scan(_ bytes: UnsafeRawBufferPointer, steps: inout Int, _ found: (ChatTag, Double?) -> Void) {
        let count = bytes.count
        var position = 0
        while position < count {
            steps += 1
            guard bytes[position] == 0x3C else { position += 1; continue }
            let start = position + 1
            position = start
            guard start < count, isLetter(bytes[start]) else { continue }
            var nameEnd = start + 1
            while nameEnd < count, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            steps += nameEnd - start
            guard nameEnd < count else { continue }
            let after = bytes[nameEnd]
            guard after == 0x3E || after == 0x2F || isBlank(after) else { continue }
            // Find the closing `>` before any other `<`.
            var close = nameEnd
            while close < count, bytes[close] != 0x3E, bytes[close] != 0x3C { close += 1 }
            steps += close - nameEnd
            guard close < count, bytes[close] == 0x3E else { continue }
            let tag = classify(UnsafeRawBufferPointer(rebasing: bytes[start..<nameEnd]))
            if tag == .delay {
                found(.delay, delayMinutes(UnsafeRawBufferPointer(rebasing: bytes[nameEnd..<close])))
            } else {
                found(tag, nil)
            }
            position = close + 1
        }
    }

    static func classify(_ name: UnsafeRawBufferPointer) -> ChatTag {
        var lowered: UInt64 = 0
        guard name.count <= 5 else { return .unknown }
        for byte in name { lowered = lowered << 8 | UInt64(byte | 0x20) }
        switch lowered {
        case 0x69_6D_61_67_65: return .image   // "image"
        case 0x67_69_66: return .gif           // "gif"
        case 0x61_75_64_69_6F: return .audio   // "audio"
        case 0x76_69_64_65_6F: return .video   // "video"
        case 0x64_65_6C_61_79: return .delay   // "delay"
        case 0x65_6E_64: return .end           // "end"
        default: return .unknown
        }
    }

    /// Sums `minutes`, `hours` and `days` attributes (quoted or bare numbers) in minutes.
    static func delayMinutes(_ attributes: UnsafeRawBufferPointer) -> Double? {
        var total = 0.0
        var any = false
        var k = 0
        let n = attributes.count
        while k < n {
            guard isLetter(attributes[k]) else { k += 1; continue }
            let nameStart = k
            while k < n, isLetter(attributes[k]) { k += 1 }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: attributes[nameStart..<k]), as: UTF8.self).lowercased()
            while k < n, isBlank(attributes[k]) { k += 1 }
            guard k < n, attributes[k] == 0x3D else { continue }  // '='
            k += 1
            while k < n, isBlank(attributes[k]) { k += 1 }
            var quote: UInt8? = nil
            if k < n, attributes[k] == 0x22 || attributes[k] == 0x27 { quote = attributes[k]; k += 1 }
            let valueStart = k
            while k < n, attributes[k] != (quote ?? 0x20), !(quote == nil && (attributes[k] == 0x2F || isBlank(attributes[k]))) { k += 1 }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: attributes[valueStart..<k]), as: UTF8.self)
            if quote != nil, k < n { k += 1 }
            guard let value = Double(text.trimmingBlanks), value.isFinite, value >= 0 else { continue }
            switch name {
            case "minutes", "minute": total += value; any = true
            case "hours", "hour": total += 60 * value; any = true
            case "days", "day": total += 1440 * value; any = true
            default: break
            }
        }
        return any ? total : nil
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool { isLetter(b) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D }
    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
}
