#if canImport(Glibc)
    import Glibc
#endif

/// Finding the messages of a chat worth running the rules on.
extension ScrubStage {
    /// Finds the messages worth running the rules on in one pass: those holding a byte some rule
    /// needs (read from `gateBitmap`, built over the record's messages once), escaped ones
    /// (checked after unescaping) and untrimmed ones.
    ///
    /// The tape is read directly (each messages array's nodes by their `next` links): walking
    /// it through `elements(_:)`, `kind`, `span` and buffer slices cost about 120 instructions
    /// per message (callgrind, real20.jsonl, --threads 1: 153k messages).
    func markCandidates(_ document: JSONDocument) {
        candidateCount = 0
        guard let base = document.bytes.baseAddress, let nodes = document.nodes.baseAddress else { return }
        // Room for every message, so each candidate is stored without `append`'s uniqueness and
        // capacity calls (~60 instructions a candidate, callgrind, real20.jsonl, --threads 1).
        // The messages arrays' bytes are where the gate bytes are looked for.
        var messages = 0
        var lowest = Int.max
        var highest = 0
        for p in 0..<messageArrays.count where nodes[messageArrays[p].messages].kind == .array {
            let array = nodes[messageArrays[p].messages]
            messages += Int(array.count)
            lowest = min(lowest, Int(array.start))
            highest = max(highest, Int(array.end))
        }
        if messages == 0 { return }
        if candidates.count < messages {
            candidates.append(contentsOf: repeatElement(Candidate(0, 0, 0, nil), count: messages - candidates.count))
        }
        let gate = candidateGate
        if gate.gated { gateBitmap.build(base, lowest..<highest, bytes: gate.bytes, count: gate.count) }
        gateBitmap.withBits { bits in
            candidates.withUnsafeMutableBufferPointer { found in
                candidateCount = markCandidates(document, base, nodes, gate, bits, into: found)
            }
        }
    }

    /// `markCandidates`' work: stores the candidates in `found` (room for every message) and
    /// returns how many there are.
    ///
    /// Hand-written hot path: whether a message holds a gate byte is read from `bits` (a few
    /// reads, no branch, whatever its length), and only a message with some is looked at hit
    /// by hit (`CandidateGate.hits`: its colons passed over, its `present` bits). It replaced
    /// up to four `memchr` searches renewed from message to message (489k calls) and the
    /// branches deciding when to renew them: markCandidates with its callees 100.8 -> 90.1 in
    /// callgrind's cost model (Ir 153.5M -> 177.9M, mispredicted branches 2.95M -> 1.64M;
    /// bench/data/soc_realistic.jsonl, --threads 1). A bitmap whose pass was Swift SIMD (SSE2,
    /// ~43 instructions per 64 bytes) and hits noted inline cost more than the searches did.
    private func markCandidates(
        _ document: JSONDocument, _ base: UnsafeRawPointer, _ nodes: UnsafePointer<JSONNode>, _ gate: CandidateGate,
        _ bits: GateBitmap.Bits, into found: UnsafeMutableBufferPointer<Candidate>
    ) -> Int {
        var count = 0
        let gated = gate.gated
        let checksAll = gate.checksAll
        for p in 0..<messageArrays.count {
            let array = messageArrays[p].messages
            guard nodes[array].kind == .array else { continue }
            var index = array + 1
            for m in 0..<Int(nodes[array].count) {
                let node = nodes[index]
                let element = index
                index = Int(node.next)
                guard node.kind == .string else { continue }
                let start = Int(node.start) &+ 1
                let stop = Int(node.end) &- 1
                var present = 0
                var needed = checksAll
                if gated && bits.any(from: start, to: stop) {
                    (present, needed) = gate.hits(bits, from: start, to: stop, base)
                }
                let content = UnsafeRawBufferPointer(start: base + start, count: stop &- start)
                var wanted = needed || BlankText.needsTrim(content)
                if !wanted && node.flags & JSONNode.hasEscapes != 0 {
                    wanted =
                        gate.byEscape
                        ? Self.escapesMatter(content, gateBytes ?? [], byEscape: true)
                        : Self.escapesMatter(content, gate.set)
                }
                if wanted {
                    found[count] = (element, p, m, checksAll ? nil : UInt8(present))
                    count += 1
                }
            }
        }
        return count
    }

    /// The gate bytes as `markCandidates` reads them, worked out once per stage.
    struct CandidateGate {
        /// How many gate bytes there are (at most four are read), and the bytes. Plain values
        /// only: `markCandidates` copies the gate once per record, and an array in it was
        /// retained and released each time.
        var count: Int
        var bytes: (UInt8, UInt8, UInt8, UInt8)
        /// Each of `bytes`' bit in a candidate's `gates` (bit k: gate byte k). The colon is
        /// `bytes.0` when `passesColons`, so its hits are read without a switch.
        var slotBits: (Int, Int, Int, Int)
        /// No gate bytes: every message is a candidate.
        var checksAll: Bool
        /// Some gate bytes are to be looked for (not `checksAll`, and rules that need some).
        var gated: Bool { !checksAll && count > 0 }
        /// `shortEscapesGate` of the gate bytes.
        var byEscape: Bool
        /// The gate bytes as a set.
        var set: ASCIISet
        /// Whether a colon followed by a byte of `afterColon` is passed over: the colon is a
        /// gate byte only for default speaker-label rules (`LabelLinePrecheck.removes`), whose
        /// pattern cannot match with such a colon (`:)` fails its `(?![)(/\\|\[\]<>*'\-])`). A message
        /// whose colons are all such (an emoticon at its end: ~70k of the 141k messages with a
        /// colon in bench/data/soc_realistic.jsonl) is then no candidate: it was decoded when
        /// escaped and run through the rules for nothing.
        var passesColons: Bool
        /// The bytes after a colon that `alternatives` in `LabelLinePrecheck+Removal.swift`
        /// rules out at once (its set less `*`, which may start `**`, and `\\`, which starts
        /// an escape in the raw text).
        var afterColon: ASCIISet

        /// The gate for `gateBytes`; colons are passed over when `rules` (the message rules the
        /// bytes are of) allow it.
        init(_ gateBytes: [UInt8]?, rules: [CompiledRule] = []) {
            let list = gateBytes ?? []
            let count = min(list.count, 4)
            self.count = count
            checksAll = gateBytes == nil || list.count > 4
            byEscape = ScrubStage.shortEscapesGate(list)
            set = ASCIISet(list)
            let colon = UInt8(ascii: ":")
            passesColons =
                !checksAll && list.contains(colon) && !rules.isEmpty
                && rules.allSatisfy { $0.requiredBytes.first != colon || $0.labelLines?.removes == true }
            // Slot k holds gate byte `order[k]`: the colon first when it is passed over.
            var order = Array(0..<count)
            if passesColons, let c = list.firstIndex(of: colon) { order.swapAt(0, c) }
            func at(_ k: Int) -> UInt8 { k < count ? list[order[k]] : 0 }
            func bit(_ k: Int) -> Int { k < count ? 1 << order[k] : 0 }
            bytes = (at(0), at(1), at(2), at(3))
            slotBits = (bit(0), bit(1), bit(2), bit(3))
            afterColon = ASCIISet(Array(")(/|[]<>'-".utf8))
        }

        /// The `slotBits` of the gate bytes from document offset `start` up to `stop`, and
        /// whether one of them is no colon passed over (`note` of each 64 bits of `bits`). Not
        /// inlined: kept out of `markCandidates`' loop, whose values it spilled to the stack.
        @inline(never)
        func hits(_ bits: GateBitmap.Bits, from start: Int, to stop: Int, _ base: UnsafeRawPointer) -> (Int, Bool) {
            var present = 0
            var passedAll = 1
            var offset = start
            if count <= 2 {
                while offset < stop {
                    noteOfTwo(
                        bits.window(at: offset, count: min(stop &- offset, 64)), at: offset, base, &present, &passedAll)
                    offset &+= 64
                }
            } else {
                while offset < stop {
                    note(
                        bits.window(at: offset, count: min(stop &- offset, 64)), at: offset, base, &present, &passedAll)
                    offset &+= 64
                }
            }
            return (present, passedAll == 0)
        }

        /// 1 when `a == b`, else 0, without a branch.
        @inline(__always)
        private static func equal(_ a: UInt8, _ b: UInt8) -> Int { Int((UInt32(a ^ b) &- 1) >> 31) }

        /// 1 when a colon at `offset` is passed over by what follows it, else 0 (the byte after a
        /// colon is in the document: at worst the string's closing quote).
        @inline(__always)
        private func ruledOut(after offset: Int, _ base: UnsafeRawPointer) -> Int {
            let after = UInt64(base.load(fromByteOffset: offset &+ 1, as: UInt8.self))
            let afterBits = after < 64 ? afterColon.low : afterColon.high
            return Int(truncatingIfNeeded: afterBits &>> (after & 63)) & 1 & (after < 128 ? 1 : 0)
        }

        /// Adds the gate bytes at the set bits of `hits` (bit k: document offset `at + k`) to
        /// `present` (their `slotBits`), and clears `passedAll` unless each is a colon passed
        /// over. Each test is worked out without a branch (the compares were compiled to
        /// branches, ~150k mispredicted on bench/data/soc_realistic.jsonl).
        @inline(__always)
        private func note(
            _ hits: UInt64, at: Int, _ base: UnsafeRawPointer, _ present: inout Int, _ passedAll: inout Int
        ) {
            var hits = hits
            while hits != 0 {
                let offset = at &+ hits.trailingZeroBitCount
                hits &= hits &- 1
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                present |=
                    Self.equal(byte, bytes.0) &* slotBits.0 | Self.equal(byte, bytes.1) &* slotBits.1
                    | Self.equal(byte, bytes.2) &* slotBits.2 | Self.equal(byte, bytes.3) &* slotBits.3
                passedAll &= colonPassing & Self.equal(byte, UInt8(ascii: ":")) & ruledOut(after: offset, base)
            }
        }

        /// `note` for at most two gate bytes: a hit that is not `bytes.0` is `bytes.1`, and a
        /// colon passed over is `bytes.0` (see `slotBits`).
        @inline(__always)
        private func noteOfTwo(
            _ hits: UInt64, at: Int, _ base: UnsafeRawPointer, _ present: inout Int, _ passedAll: inout Int
        ) {
            var hits = hits
            while hits != 0 {
                let offset = at &+ hits.trailingZeroBitCount
                hits &= hits &- 1
                let first = Self.equal(base.load(fromByteOffset: offset, as: UInt8.self), bytes.0)
                present |= first &* slotBits.0 | (1 &- first) &* slotBits.1
                passedAll &= colonPassing & first & ruledOut(after: offset, base)
            }
        }

        /// 1 when `passesColons`, else 0 (for `note`).
        private var colonPassing: Int { passesColons ? 1 : 0 }
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
        guard byEscape ?? shortEscapesGate(gates) else { return escapesMatter(content, ASCIISet(gates)) }
        guard content.count > 0 else { return false }
        if edgeMatters(content, atStart: true) { return true }
        return escapesMatterByEscape(content, gates)
    }

    /// `escapesMatter` for gate bytes no short escape gives (`shortEscapesGate` false), as a set
    /// (no array passed, retained and released per message).
    ///
    /// Hand-written hot path: a text of 20 bytes or more (nearly every escaped message) is first
    /// put through `escapeDoubts`, one pass without a branch per escape or block; only what it
    /// cannot clear (an escape or non-ASCII byte first, some escapes last, a possible `\u00XX`)
    /// is checked escape by escape. Those cost ~215 instructions and 2.8 mispredicted
    /// branches per escaped message (`hasGateEscape`'s loop exit, the last six bytes' test;
    /// callgrind --branch-sim, bench/data/soc_realistic.jsonl, --threads 1: 168k messages).
    static func escapesMatter(_ content: UnsafeRawBufferPointer, _ gates: ASCIISet) -> Bool {
        guard let base = content.baseAddress, content.count >= 20 else { return escapesMatterInDetail(content, gates) }
        let doubts = escapeDoubts(base, content.count)
        if doubts == 0 { return false }
        // Only what the quick pass could not clear is checked again.
        if doubts & EscapeDoubt.start != 0 && edgeMatters(content, atStart: true) { return true }
        if doubts & EscapeDoubt.end != 0 && edgeMatters(content, atStart: false) { return true }
        return doubts & EscapeDoubt.gate != 0 && hasGateEscape(content, gates)
    }

    /// `escapesMatter` for a set of gate bytes, edge by edge and escape by escape.
    static func escapesMatterInDetail(_ content: UnsafeRawBufferPointer, _ gates: ASCIISet) -> Bool {
        guard content.count > 0 else { return false }
        if edgeMatters(content, atStart: true) { return true }
        // An escape that may end the text lies in its last 6 bytes.
        if backslashInLastSix(content) && edgeMatters(content, atStart: false) { return true }
        if content.count >= 20 { return hasGateEscape(content, gates) }
        return gateEscapeByWalk(content, gates)
    }

    /// `hasGateEscape` escape by escape (for texts too short for its blocks, and its tests).
    static func gateEscapeByWalk(_ content: UnsafeRawBufferPointer, _ gates: ASCIISet) -> Bool {
        guard let base = content.baseAddress else { return false }
        let n = content.count
        let backslash = UInt8(ascii: "\\")
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
                if gates.contains(decoded) { return true }
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
            if (0xD800...0xDFFF).contains(value) {
                // A pair first (a `json.dumps` emoji) is one supplementary character: never
                // White_Space, and default-ignorable only in the planes `isDefaultIgnorable`
                // lists. Each escaped message starting with an emoji was a candidate, decoded
                // and run through the rules for nothing (4.4k on bench/data/soc_realistic.jsonl).
                if atStart && value < 0xDC00 && n >= 12 && content[6] == UInt8(ascii: "\\")
                    && content[7] == UInt8(ascii: "u")
                {
                    var low: UInt32 = 0
                    for d in 8..<12 {
                        guard let digit = JSONParser.hexValue(content[d]) else { return true }
                        low = low << 4 | digit
                    }
                    if (0xDC00...0xDFFF).contains(low) {
                        return BlankText.isDefaultIgnorable(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00))
                    }
                }
                return atStart
            }
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
}
