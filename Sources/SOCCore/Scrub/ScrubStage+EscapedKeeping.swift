/// Scrubbing one message string, and keeping the part of an escaped message the rules leave.
extension ScrubStage {
    /// The rules' outcome for one message string (nil: unchanged), with the lone-surrogate
    /// escapes its text was read with. A message whose lone surrogates cannot be kept is left
    /// as it is. With `keeping`, a string without escapes that becomes a part of itself gives
    /// that part's bytes in the record (`kept`, `outcome.pieces` empty; see
    /// `TextScrubber.scrubKeeping`), and so does an escaped one whose part runs to its end
    /// (`keptEscaped`).
    func scrubMessage(
        _ document: JSONDocument, _ element: Int, _ scrubber: TextScrubber, keeping: Bool = false, gates: UInt8? = nil,
        names: () -> PersonaNames
    ) throws(RuleMatchFailure) -> (outcome: ScrubOutcome, escapes: [[UInt8]], kept: Range<Int>?)? {
        guard document.hasEscapes(element) else {
            guard keeping else {
                guard let outcome = try scrubber.scrub(document.stringContent(element), names: names) else {
                    return nil
                }
                return (outcome, [], nil)
            }
            guard
                let (outcome, kept) = try scrubber.scrubKeeping(
                    document.stringContent(element), gates: gates, names: names)
            else { return nil }
            // The string's content starts after its opening quote.
            let start = document.span(element).lowerBound + 1
            return (outcome, [], kept.map { (start + $0.lowerBound)..<(start + $0.upperBound) })
        }
        let content = document.stringContent(element)
        if decodeBuffer.count < content.count {
            decodeBuffer.deallocate()
            decodeBuffer = .allocate(byteCount: max(content.count, 2 * decodeBuffer.count), alignment: 1)
        }
        var style = EscapedText.Style()
        guard let (count, escapes) = EscapedText.decode(content, into: decodeBuffer.baseAddress, style: &style)
        else { return nil }
        let text = UnsafeRawBufferPointer(start: decodeBuffer.baseAddress, count: count)
        if keeping && escapes.isEmpty {
            guard let (outcome, kept) = try scrubber.scrubKeeping(text, names: names) else { return nil }
            guard let kept else { return (outcome, [], nil) }
            return keptEscaped(document, element, content, text, style, outcome, kept)
        }
        guard let outcome = try scrubber.scrub(text, names: names) else { return nil }
        if !escapes.isEmpty && EscapedText.pairsUp(outcome.pieces, escapes: escapes) { return nil }
        return (outcome, escapes, nil)
    }

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
        outcome.pieces = ScrubPieces(single: Array(text[kept]))
        return (outcome, [], nil)
    }

    func recordIsASCII(_ document: JSONDocument) -> Bool {
        if recordASCII < 0 { recordASCII = JSONSplice.isASCII(document.bytes) ? 1 : 0 }
        return recordASCII == 1
    }
}
