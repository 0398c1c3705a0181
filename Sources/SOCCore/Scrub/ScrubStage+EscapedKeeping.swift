/// Keeping the part of an escaped message the rules leave.
extension ScrubStage {
    /// `scrubMessage`'s answer for an escaped string without lone surrogates (`text`, its
    /// decoded `content`) that became its part `kept` (`outcome` has no pieces): when that part
    /// runs to the end and each escape there is written back as it is (`style`), that part of
    /// the record is kept (`kept`, as for a string without escapes), not copied and escaped
    /// again; else the part is copied into the outcome's one piece.
    ///
    /// Half the records of bench/data/soc_realistic.jsonl are `\u`-escaped; their labelled
    /// messages were each copied and escaped again (`JSONSplice.appendString`: 27k strings,
    /// ~1,150 instructions and 16 mispredicted branches each; callgrind, --threads 1).
    @inline(never)
    func keptEscaped(
        _ document: JSONDocument, _ element: Int, _ content: UnsafeRawBufferPointer, _ text: UnsafeRawBufferPointer,
        _ style: EscapedText.Style, _ outcome: consuming ScrubOutcome, _ kept: Range<Int>
    ) -> (outcome: ScrubOutcome, escapes: [[UInt8]], kept: Range<Int>?) {
        if kept.upperBound == text.count, style.writesBackAsIs(recordIsASCII: { recordIsASCII(document) }),
            let from = EscapedText.rawOffset(of: kept.lowerBound, in: content)
        {
            let start = document.span(element).lowerBound + 1
            return (outcome, [], (start + from)..<(start + content.count))
        }
        var copied = outcome
        copied.pieces = ScrubPieces(single: Array(text[kept]))
        return (copied, [], nil)
    }

    func recordIsASCII(_ document: JSONDocument) -> Bool {
        if recordASCII < 0 { recordASCII = JSONSplice.isASCII(document.bytes) ? 1 : 0 }
        return recordASCII == 1
    }
}
