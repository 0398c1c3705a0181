#if canImport(Glibc)
    import Glibc
#endif

/// Finding the messages of a chat worth running the rules on.
extension ScrubStage {
    /// Finds the messages worth running the rules on in one pass: those holding a byte some rule
    /// needs (each gate byte is searched with `memchr` from message to message, so a search
    /// spans many messages at once), escaped ones (checked after unescaping) and untrimmed ones.
    func markCandidates(_ document: JSONDocument) {
        candidates.removeAll(keepingCapacity: true)
        guard let base = document.bytes.baseAddress else { return }
        let gateBytes = self.gateBytes
        let gates = gateBytes ?? []
        let checksAll = gateBytes == nil
        // Decided once per record, not per escaped message (about 30,000 on real20.jsonl).
        let byEscape = Self.shortEscapesGate(gates)
        // Offset of the next occurrence of each gate byte at or after where it was last searched.
        var next = (Int.min, Int.min, Int.min, Int.min)
        let end = document.bytes.count
        for (p, (_, messages)) in messageArrays.enumerated() {
            for (m, element) in document.elements(messages).enumerated() where document.kind(element) == .string {
                let span = document.span(element)
                let start = span.lowerBound + 1
                let stop = span.upperBound - 1
                let content = UnsafeRawBufferPointer(rebasing: document.bytes[start..<stop])
                var wanted = checksAll || BlankText.needsTrim(content)
                var g = 0
                while !wanted && g < gates.count {
                    var hit = Self.slot(next, g)
                    if hit < start {
                        hit =
                            memchr(base + start, Int32(gates[g]), end - start).map {
                                base.distance(to: UnsafeRawPointer($0))
                            } ?? Int.max
                        Self.set(&next, g, hit)
                    }
                    wanted = hit < stop
                    g += 1
                }
                // Escapes last: the gate bytes' searches are shared by many messages.
                if !wanted && document.hasEscapes(element) {
                    wanted = Self.escapesMatter(content, gates, byEscape: byEscape)
                }
                if wanted { candidates.append((element, p, m)) }
            }
        }
    }

    /// True when the escapes of `content` (a string's raw bytes, its raw ends already checked by
    /// `BlankText.needsTrim`) could give the decoded text a gate byte, white space at either
    /// end, or make it blank, which the raw bytes do not show. False only when none can: no
    /// `\u00XX` escape decodes to a gate byte (nor a short escape, when a gate byte is one a
    /// short escape gives), the first character is neither White_Space nor default-ignorable,
    /// and the last is not White_Space.
    ///
    /// A message ending with an emoji (a surrogate pair escape, as `json.dumps` writes it) is
    /// no longer a candidate, decoded and scrubbed for nothing (escaped records, half of
    /// bench/data/soc_realistic.jsonl; callgrind, real20.jsonl, --threads 1: -14M instructions).
    /// `EscapesMatterTests` checks it against decoding.
    ///
    /// `byEscape` is `shortEscapesGate(gates)`, when the caller has it at hand.
    static func escapesMatter(_ content: UnsafeRawBufferPointer, _ gates: [UInt8], byEscape: Bool? = nil) -> Bool {
        guard let base = content.baseAddress, content.count > 0 else { return false }
        let n = content.count
        let backslash = UInt8(ascii: "\\")
        if edgeMatters(content, atStart: true) { return true }
        if byEscape ?? shortEscapesGate(gates) { return escapesMatterByEscape(content, gates) }
        // An escape that may end the text lies in its last 6 bytes.
        if memchr(base + max(0, n - 6), Int32(backslash), min(n, 6)) != nil && edgeMatters(content, atStart: false) {
            return true
        }
        // Escape by escape (each decodes to one scalar; only `\u00XX` can be ASCII), the next
        // backslash looked at directly when it follows (runs of `\uXXXX` in `json.dumps` text).
        var i = 0
        while i < n {
            let k: Int
            if content[i] == backslash {
                k = i
            } else if let hit = memchr(base + i, Int32(backslash), n - i) {
                k = base.distance(to: UnsafeRawPointer(hit))
            } else {
                break
            }
            guard k + 1 < n else { return true }
            guard content[k + 1] == UInt8(ascii: "u") else {
                i = k + 2
                continue
            }
            guard k + 6 <= n else { return true }
            if content[k + 2] == UInt8(ascii: "0") && content[k + 3] == UInt8(ascii: "0") {
                let high = JSONParser.hexValue(content[k + 4]) ?? 0xF
                let decoded = high << 4 | (JSONParser.hexValue(content[k + 5]) ?? 0xF)
                if decoded < 0x80 && gates.contains(UInt8(decoded)) { return true }
            }
            i = k + 6
        }
        return false
    }

    /// Whether a gate byte is one a short escape gives (then every escape is decoded).
    static func shortEscapesGate(_ gates: [UInt8]) -> Bool {
        gates.contains(where: { shortEscapeBytes.contains($0) })
    }

    /// The bytes short escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`) decode to.
    private static let shortEscapeBytes: [UInt8] = [0x22, 0x5C, 0x2F, 8, 12, 10, 13, 9]

    /// Whether the first (or last) character of the decoded text may be White_Space (or, first,
    /// default-ignorable: the text may be blank), as far as escapes decide it; a raw ASCII end
    /// is `needsTrim`'s. Unsure cases (a short escape, a surrogate escape first) say true.
    private static func edgeMatters(_ content: UnsafeRawBufferPointer, atStart: Bool) -> Bool {
        let n = content.count
        let at = atStart ? 0 : n - 6
        if at >= 0 && n >= 6 && content[at] == UInt8(ascii: "\\") && content[at + 1] == UInt8(ascii: "u") {
            var value: UInt32 = 0
            for d in 2..<6 {
                guard let digit = JSONParser.hexValue(content[at + d]) else { return true }
                value = value << 4 | digit
            }
            // A surrogate last ends a supplementary character or stands alone: never White_Space
            // (the last 6 bytes may also be literal text after an escaped backslash: no white
            // space there either).
            if (0xD800...0xDFFF).contains(value) { return atStart }
            return BlankText.isWhitespace(value) || (atStart && BlankText.isDefaultIgnorable(value)) || value < 0x80
        }
        if atStart {
            // A raw non-ASCII first character may be default-ignorable before escaped blanks.
            if content[0] >= 0x80 {
                let (scalar, _) = BlankText.decode(content, at: 0)
                return BlankText.isWhitespace(scalar) || BlankText.isDefaultIgnorable(scalar)
            }
            return content[0] == UInt8(ascii: "\\")
        }
        // Another escape near the end (a short one, or `\u` cut short): unsure.
        return true
    }

    /// True when the escapes of `content` (a string's raw bytes) could give the decoded text a
    /// gate byte or white space at either end, which the raw bytes do not show: an escape that
    /// decodes to a gate byte (`\u003a`, `\"`), or an escape at the start or the end. Each
    /// escape is decoded (for gate bytes that short escapes give).
    static func escapesMatterByEscape(_ content: UnsafeRawBufferPointer, _ gates: [UInt8]) -> Bool {
        guard let base = content.baseAddress, content.count > 0 else { return false }
        if content[0] == UInt8(ascii: "\\") { return true }
        var i = 0
        let n = content.count
        while i < n, let hit = memchr(base + i, Int32(UInt8(ascii: "\\")), n - i) {
            let k = base.distance(to: UnsafeRawPointer(hit))
            let e = content[k + 1]
            var decoded: UInt32
            var end = k + 2
            switch e {
            case UInt8(ascii: "u"):
                end = k + 6
                // Most `\u` escapes are non-ASCII text (`json.dumps` writes every such character
                // so), which no gate byte is: only `\u00XX` needs decoding.
                if content[k + 2] != UInt8(ascii: "0") || content[k + 3] != UInt8(ascii: "0") {
                    if end >= n { return true }
                    i = end
                    continue
                }
                decoded = 0
                for d in 0..<4 { decoded = decoded << 4 | UInt32(JSONParser.hexValue(content[k + 2 + d]) ?? 0) }
            case UInt8(ascii: "b"): decoded = 8
            case UInt8(ascii: "f"): decoded = 12
            case UInt8(ascii: "n"): decoded = 10
            case UInt8(ascii: "r"): decoded = 13
            case UInt8(ascii: "t"): decoded = 9
            default: decoded = UInt32(e)
            }
            if end >= n { return true }
            if decoded < 0x80 && gates.contains(UInt8(decoded)) { return true }
            i = end
        }
        return false
    }

    private static func slot(_ t: (Int, Int, Int, Int), _ k: Int) -> Int {
        switch k {
        case 0: return t.0
        case 1: return t.1
        case 2: return t.2
        default: return t.3
        }
    }

    private static func set(_ t: inout (Int, Int, Int, Int), _ k: Int, _ value: Int) {
        switch k {
        case 0: t.0 = value
        case 1: t.1 = value
        case 2: t.2 = value
        default: t.3 = value
        }
    }
}
