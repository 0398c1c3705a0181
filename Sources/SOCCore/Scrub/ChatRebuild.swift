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

    /// True when the pieces need no escape: the message string had none, and every rule's
    /// replacement writes only bytes a JSON string holds as they are
    /// (`TextScrubber.literalsArePlain`), so the pieces are parts of the string and such bytes.
    /// They are then copied as they are (escaping them cost about 2 instructions a byte) and
    /// not read for non-ASCII (they hold it only in a record that writes it raw).
    let plain: Bool
    /// How many strings the message became.
    let pieceCount: Int
    /// At most this many bytes are written for the strings it became, quotes included (none
    /// for a part kept of the record: at most its own string's bytes).
    let room: Int

    // The count and the room are found once, here: read from the pieces' storage each time
    // the line was written, its switch cost ~80k mispredicted branches (callgrind,
    // bench/data/soc_realistic.jsonl, --threads 1).
    init(
        part: Int, message: Int, element: Int, outcome: ScrubOutcome, escapes: [[UInt8]], kept: Range<Int>?,
        plain: Bool = false
    ) {
        self.part = part
        self.message = message
        self.element = element
        self.escapes = escapes
        self.kept = kept
        self.plain = plain
        if kept != nil {
            pieceCount = 1
            room = 0
        } else {
            let count = outcome.pieces.count
            let bytes = outcome.pieces.byteCount
            pieceCount = count
            room = plain ? bytes + 2 * count : 6 * bytes + 14 * count
        }
        self.outcome = outcome
    }
}

/// Turns a chat's changed messages into the edits of its record, keeping every untouched byte:
/// a changed string is spliced in place; a `messages` array whose messages were split or
/// dropped is rebuilt from the original bytes of the others; a part left without messages is
/// dropped, and the parts before and after it are merged when one sender wrote both (so the
/// speakers still take turns); a chat left with fewer than 2 parts is not written at all.
struct ChatRebuild {
    enum Result {
        /// The record's new line was appended to the buffer.
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

    init(document: JSONDocument, parts: [(part: Int, messages: Int)], asciiOnly: Bool) {
        self.document = document
        self.parts = parts
        self.asciiOnly = asciiOnly
    }

    /// The new line for `changes` (in document order) to the array `chatParts`, appended whole
    /// to `bytes` (its earlier bytes kept) when the result is `.written`; else `bytes` is left
    /// as it was. The stage hands the runner's line output here (`LineOutput`: the new line is
    /// then written once, with no copy after), or its own edit buffer
    /// (`ScrubStage.editBuffer`), so a changed chat allocates and frees no buffer of its own.
    ///
    /// The buffer is passed in, not held: held, it was swapped in and out of the rebuild four
    /// times per changed chat, with a dynamic access check (~60 instructions) among them
    /// (ScrubStage.scrub inclusive 410.5 -> 408.4 cost units; callgrind,
    /// bench/data/soc_realistic.jsonl, --threads 1).
    mutating func build(_ changes: [MessageChange], chatParts: Int, appendingTo bytes: inout [UInt8]) -> Result {
        // The common cases: strings changed in place, or messages split or dropped with every
        // part keeping a message (`SplicedChatLine`); else the general path (`RebuiltChatLine`).
        // Tried first: it gives up (nil, nothing written) exactly when a part is left without
        // messages, so the parts dropped are looked for only then (a pass over the changes per
        // changed chat: 2.7 of scrub's cost units, callgrind, bench/data/soc_realistic.jsonl,
        // --threads 1).
        if let edit = editsKeepingEveryPart(changes, into: &bytes) { return edit }
        let dropped = droppedParts(changes)
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
        // Room for every part at once (grown group by group, ~400 instructions per such chat).
        var groups: [(keep: Int, merged: [Int])] = []
        groups.reserveCapacity(parts.count)
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

        return changes.withUnsafeBufferPointer { changes in
            let line = RebuiltChatLine(
                writer: ChangeWriter(document: document, changes: changes, asciiOnly: asciiOnly), parts: parts,
                groups: groups, chatParts: chatParts)
            Self.reserve(bytes.count + line.room, in: &bytes)
            bytes.append(contentsOf: line)
            return .written
        }
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

    /// The line for `changes` when no part is left without messages (else nil, and nothing is
    /// written): a part whose strings keep one piece each gets them replaced in place; another
    /// gets its `messages` array rewritten, unchanged elements copied as they are. The same
    /// bytes as the general path, without its per-part tables, written in one append
    /// (`SplicedChatLine`).
    ///
    /// All of it is written as one line, the original bytes around and between the changes
    /// copied into it: one buffer per chat instead of one per changed message (about 11 per
    /// chat on bench/data/soc_realistic.jsonl, each allocated, spliced and freed; callgrind,
    /// real20.jsonl, --threads 1).
    private func editsKeepingEveryPart(_ changes: [MessageChange], into bytes: inout [UInt8]) -> Result? {
        guard !changes.isEmpty else { return .unchanged }
        // The arrays are borrowed by the line (see `ChangeWriter.changes`): they outlive it.
        return changes.withUnsafeBufferPointer { changes in
            parts.withUnsafeBufferPointer { parts in
                guard
                    let line = SplicedChatLine(
                        document: document, changes: changes, parts: parts, asciiOnly: asciiOnly)
                else { return nil }
                Self.reserve(bytes.count + line.room, in: &bytes)
                bytes.append(contentsOf: line)
                return .written
            }
        }
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
