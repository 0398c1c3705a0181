/// What scrub did to one message of a chat: the rules' outcome, and the lone-surrogate escapes
/// its text was read with (written back as they were).
struct MessageChange {
    var part: Int
    var message: Int
    /// The message string's tape index.
    var element: Int
    var outcome: ScrubOutcome
    var escapes: [[UInt8]]
    /// When set, the message became these bytes of the record (a part of its string, whose
    /// escapes, if any, are written as they are), and `outcome.pieces` is empty
    /// (`ScrubStage.scrubMessage`).
    var kept: Range<Int>?

    /// How many strings the message became.
    @inline(__always) var pieceCount: Int { kept == nil ? outcome.pieces.count : 1 }
}

/// Turns a chat's changed messages into the edits of its record, keeping every untouched byte:
/// a changed string is spliced in place; a `messages` array whose messages were split or
/// dropped is rebuilt from the original bytes of the others; a part left without messages is
/// dropped, and the parts before and after it are merged when one sender wrote both (so the
/// speakers still take turns); a chat left with fewer than 2 parts is not written at all.
struct ChatRebuild {
    enum Result {
        /// The record's new line is `bytes[base...]`.
        case written
        /// Nothing to change.
        case unchanged
        /// The chat would keep this many parts (fewer than 2): it is rejected.
        case emptied(parts: Int)
    }

    let document: JSONDocument
    /// Each part's object and its `messages` array (tape indices).
    let parts: [(part: Int, messages: Int)]
    /// Write non-ASCII as `\u` escapes (the record was written that way).
    let asciiOnly: Bool

    /// The built-in steps taken (`drop-empty-part`, `merge-parts`), each with its part index.
    private(set) var steps: [(change: ScrubChange, part: Int)] = []

    /// The record's whole new line once `build` has run (`Result.written`), from `base` on: the
    /// caller's buffer, its earlier bytes kept. The stage hands the runner's line output here
    /// (`LineOutput`: the new line is then written once, with no copy after), or its own edit
    /// buffer (`ScrubStage.editBuffer`), so a changed chat allocates and frees no buffer of
    /// its own.
    var bytes: [UInt8]
    /// Where this record's bytes start in `bytes`.
    let base: Int

    /// `bytes` is taken from `output` (left empty), its content kept: `build` appends the
    /// record's whole new line after it.
    init(
        document: JSONDocument, parts: [(part: Int, messages: Int)], asciiOnly: Bool, appendingTo output: inout [UInt8]
    ) {
        self.document = document
        self.parts = parts
        self.asciiOnly = asciiOnly
        var taken: [UInt8] = []
        swap(&taken, &output)
        base = taken.count
        bytes = taken
    }

    /// The new line for `changes` (in document order) to the array `chatParts`; `bytes` is as
    /// it was given unless the result is `.written`.
    mutating func build(_ changes: [MessageChange], chatParts: Int) -> Result {
        let result = buildLine(changes, chatParts: chatParts)
        if case .written = result {} else { bytes.removeSubrange(base..<bytes.count) }
        return result
    }

    private mutating func buildLine(_ changes: [MessageChange], chatParts: Int) -> Result {
        // The common cases: strings changed in place, or messages split or dropped with every
        // part keeping a message; written straight into each edit's bytes.
        // Taken out of `self`, so the buffer is written with one reference to it.
        var bytes: [UInt8] = []
        swap(&bytes, &self.bytes)
        defer { swap(&bytes, &self.bytes) }
        // Tried first: it gives up (nil) exactly when a part is left without messages, so the
        // parts dropped are looked for only then (a pass over the changes per changed chat:
        // 2.7 of scrub's cost units, callgrind, bench/data/soc_realistic.jsonl, --threads 1).
        if let edit = editsKeepingEveryPart(changes, into: &bytes) { return edit }
        let dropped = droppedParts(changes)
        bytes.removeSubrange(base..<bytes.count)
        for p in dropped {
            steps.append(
                (
                    ScrubChange(
                        rule: BuiltInStep.dropEmptyPart, step: BuiltInStep.dropEmptyPartStep, before: [], after: []),
                    p
                ))
        }

        // Kept parts in order; a part after a dropped one joins the kept part before it when
        // both have the same sender. Parts that were next to each other in the input stay apart.
        var groups: [(keep: Int, merged: [Int])] = []
        var droppedSince = false
        var nextDropped = 0
        for p in parts.indices {
            if nextDropped < dropped.count && dropped[nextDropped] == p {
                nextDropped += 1
                droppedSince = true
                continue
            }
            if droppedSince, let last = groups.last, sameSender(last.keep, p) {
                groups[groups.count - 1].merged.append(p)
                steps.append(
                    (
                        ScrubChange(
                            rule: BuiltInStep.mergeParts, step: BuiltInStep.mergePartsStep, before: [], after: []), p
                    ))
            } else {
                groups.append((p, []))
            }
            droppedSince = false
        }
        if groups.count < 2 { return .emptied(parts: groups.count) }

        // Written straight into one buffer: each kept part's bytes up to its `messages` array,
        // the array (as written with its changed strings replaced, or rebuilt from its
        // elements and those of the parts merged into it), the rest of the part. The changes
        // are read in document order by index, with no table per part (the tables cost about
        // 50k instructions per such chat; callgrind, real20.jsonl, --threads 1).
        let separator = JSONSplice.separator(in: document, array: chatParts)
        let chat = document.span(chatParts)
        Self.reserve(base + document.bytes.count + 16, in: &bytes)
        func append(_ range: Range<Int>) {
            if !range.isEmpty { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: document.bytes[range])) }
        }
        append(0..<chat.lowerBound)
        bytes.append(UInt8(ascii: "["))
        // The changes of part `p` are `changes[first[p]..<first[p + 1]]`.
        var first = [Int](repeating: 0, count: parts.count + 1)
        do {
            var c = 0
            for p in 0...parts.count {
                while c < changes.count && changes[c].part < p { c += 1 }
                first[p] = c
            }
        }
        for (k, group) in groups.enumerated() {
            if k > 0 { bytes.append(contentsOf: separator) }
            let part = document.span(parts[group.keep].part)
            let messages = parts[group.keep].messages
            let array = document.span(messages)
            append(part.lowerBound..<array.lowerBound)
            let own = first[group.keep]..<first[group.keep + 1]
            if group.merged.isEmpty && own.allSatisfy({ changes[$0].pieceCount == 1 }) {
                var position = array.lowerBound
                for c in own {
                    let span = document.span(changes[c].element)
                    append(position..<span.lowerBound)
                    appendPiece(changes, c, 0, to: &bytes)
                    position = span.upperBound
                }
                append(position..<array.upperBound)
            } else {
                let elementSeparator = JSONSplice.separator(in: document, array: messages)
                bytes.append(UInt8(ascii: "["))
                var written = 0
                for p in [group.keep] + group.merged {
                    appendElements(
                        of: parts[p].messages, changes, first[p]..<first[p + 1], separator: elementSeparator,
                        written: &written, to: &bytes)
                }
                bytes.append(UInt8(ascii: "]"))
            }
            append(array.upperBound..<part.upperBound)
        }
        bytes.append(UInt8(ascii: "]"))
        append(chat.upperBound..<document.bytes.count)
        return .written
    }

    /// The parts (in order) that `changes` leave without messages: every element of their
    /// `messages` array is a string the rules dropped.
    private func droppedParts(_ changes: [MessageChange]) -> [Int] {
        var dropped: [Int] = []
        var c = 0
        while c < changes.count {
            let p = changes[c].part
            var emptied = 0
            while c < changes.count && changes[c].part == p {
                if changes[c].pieceCount == 0 { emptied += 1 }
                c += 1
            }
            if emptied > 0 && emptied == document.count(parts[p].messages) { dropped.append(p) }
        }
        return dropped
    }

    /// The edits for `changes` when no part is left without messages (else nil): a part whose
    /// strings keep one piece each gets them replaced in place; another gets its `messages`
    /// array rewritten, unchanged elements copied as they are. The same bytes as the general
    /// path, without its per-part tables.
    ///
    /// All of it is written as one line, the original bytes around and between the changes
    /// copied into it: one buffer per chat instead of one per changed message (about 11 per chat on bench/data/soc_realistic.jsonl, each allocated, spliced
    /// and freed; callgrind, real20.jsonl, --threads 1).
    private func editsKeepingEveryPart(_ changes: [MessageChange], into bytes: inout [UInt8]) -> Result? {
        guard !changes.isEmpty else { return .unchanged }
        let all = document.bytes
        // How far the record's bytes are copied: the line is written whole.
        var copied = 0
        Self.reserve(base + all.count + 64, in: &bytes)
        func copy(upTo offset: Int) {
            if offset > copied { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[copied..<offset])) }
        }
        var next = 0
        while next < changes.count {
            let p = changes[next].part
            var end = next
            var splits = false
            while end < changes.count && changes[end].part == p {
                if changes[end].pieceCount != 1 { splits = true }
                end += 1
            }
            if !splits {
                // By index: a copy of each change (its arrays retained and released) cost about
                // 150 instructions per changed message (callgrind, real20.jsonl).
                for c in next..<end {
                    let span = document.span(changes[c].element)
                    if let kept = changes[c].kept {
                        // The string's quotes and the part kept are the record's own bytes: the
                        // original bytes are copied up to the opening quote and go on from the
                        // kept part, so a message whose part runs to its end (a label cut off)
                        // costs no append of its own. Appending the run before it and the
                        // quoted part apart cost about 60 instructions more per labelled
                        // message (this function 9.1M -> 7.5M instructions; callgrind,
                        // bench/data/soc_realistic.jsonl, --threads 1).
                        copy(upTo: span.lowerBound + 1)
                        copied = kept.lowerBound
                        if kept.upperBound < span.upperBound - 1 {
                            copy(upTo: kept.upperBound)
                            copied = span.upperBound - 1
                        }
                        continue
                    }
                    copy(upTo: span.lowerBound)
                    appendPiece(changes, c, 0, to: &bytes)
                    copied = span.upperBound
                }
                next = end
                continue
            }
            let messages = parts[p].messages
            let separator = JSONSplice.separator(in: document, array: messages)
            let span = document.span(messages)
            copy(upTo: span.lowerBound)
            bytes.append(UInt8(ascii: "["))
            var written = 0
            appendElements(of: messages, changes, next..<end, separator: separator, written: &written, to: &bytes)
            if written == 0 { return nil }
            bytes.append(UInt8(ascii: "]"))
            copied = span.upperBound
            next = end
        }
        copy(upTo: all.count)
        return .written
    }

    /// Appends the elements of the `messages` array at tape index `messages`, each after
    /// `separator` but the first one written (`written` counts them): a message changed by one
    /// of `changes[range]` (in document order, at most one a message) as the strings it became,
    /// any other as written. The changes are read by index, not copied (a copy retained and
    /// released their arrays: about 150 instructions per changed message).
    private func appendElements(
        of messages: Int, _ changes: [MessageChange], _ range: Range<Int>, separator: UnsafeRawBufferPointer,
        written: inout Int,
        to bytes: inout [UInt8]
    ) {
        var c = range.lowerBound
        for (m, element) in document.elements(messages).enumerated() {
            if c < range.upperBound && changes[c].message == m {
                let change = c
                c += 1
                for k in 0..<changes[change].pieceCount {
                    if written > 0 { bytes.append(contentsOf: separator) }
                    appendPiece(changes, change, k, to: &bytes)
                    written += 1
                }
            } else {
                if written > 0 { bytes.append(contentsOf: separator) }
                bytes.append(contentsOf: document.raw(element))
                written += 1
            }
        }
    }

    /// Appends string `k` of what change `c` made of its message, as a JSON string literal.
    /// The change is read in place (by index: a copy retained and released its arrays).
    private func appendPiece(_ changes: [MessageChange], _ c: Int, _ k: Int, to out: inout [UInt8]) {
        guard let kept = changes[c].kept else {
            return JSONSplice.appendString(
                changes[c].outcome.pieces[k], asciiOnly: asciiOnly, escapes: changes[c].escapes, to: &out)
        }
        // As `appendString` writes it: bytes of a string without escapes hold no quote,
        // backslash or control byte, and non-ASCII only in a record that writes it raw; an
        // escaped part is kept only when each escape is written so (`EscapedText.Style`).
        // One append with its quotes (`JSONSplice.Literal`), not three.
        JSONSplice.append(
            JSONSplice.Literal(text: UnsafeRawBufferPointer(rebasing: document.bytes[kept]), mode: .raw, quoted: true),
            to: &out)
    }

    /// Room for `count` bytes in `bytes`, grown at least twofold: a unit's line output takes
    /// record after record, and `reserveCapacity` alone grows to exactly what is asked, so each
    /// record moved all the lines before it (callgrind: memcpy +2.3 cost units on the 100 MB
    /// realistic bench file, until the units' buffers had grown).
    private static func reserve(_ count: Int, in bytes: inout [UInt8]) {
        if count > bytes.capacity { bytes.reserveCapacity(max(count, 2 * bytes.capacity)) }
    }

    /// True when parts `a` and `b` both have a string `sender` and they are equal.
    private func sameSender(_ a: Int, _ b: Int) -> Bool {
        guard let x = document.member(parts[a].part, "sender"), let y = document.member(parts[b].part, "sender"),
            document.kind(x) == .string, document.kind(y) == .string
        else { return false }
        return document.withStringBytes(x) { document.stringEquals(y, $0) }
    }
}
