/// What counts as a duplicate: the knobs shared by the one-shot run, `sign` and `cluster`.
public struct DedupSettings: Sendable, Equatable {
    /// Words per shingle (`--ngram`).
    public var ngram = 5
    /// MinHash signature length (`--num-perm`).
    public var numPerm = 128
    /// Jaccard similarity at or above which a record is a near duplicate (`--threshold`).
    public var threshold = 0.8
    /// Weight of false negatives in the choice of bands and rows (`--fn-weight`); false positives
    /// weigh `1 − fnWeight`. Every LSH candidate is verified before removal, so a false positive
    /// costs one signature comparison while a false negative loses a duplicate: the default
    /// favours recall (0.9 gives 14 bands × 9 rows at 128 permutations and threshold 0.8).
    public var fnWeight = 0.9
    /// Paths whose values together form the exact key (`--key`); empty: no key check.
    public var keys: [RecordPath] = []
    /// Paths of the text (`--text`); empty: a chat's messages or a persona's background and
    /// chatting style, chosen per record.
    public var text: [RecordPath] = []
    /// How chats lay out their messages (`--layout`), for the default text.
    public var layout = LayoutChoice.auto
    /// Path of the id written to `--clusters`; nil: `chat_id`, else `id`.
    public var id: RecordPath?
    /// Remove records whose normalized text equals a kept record's (`exact_text`).
    public var exactText = true
    /// Remove near duplicates.
    public var near = true

    public init() {}

    /// The LSH bands and rows for `threshold` and `numPerm`.
    public var lshParameters: LSHParameters {
        LSHParameters.optimal(threshold: threshold, numPerm: numPerm, fpWeight: 1 - fnWeight, fnWeight: fnWeight)
    }

    /// True when records need their text read.
    var needsText: Bool { exactText || near }

    /// The settings `sign` records in a signature file's header, in a fixed order; `cluster`
    /// refuses to mix files whose headers disagree.
    public var signatureHeaderFields: [(String, String)] {
        [
            ("num_perm", String(numPerm)),
            ("ngram", String(ngram)),
            ("minhash", "oph-xxh3-64"),
            // A chosen layout is said only when it is not `auto`, so files of the default run keep their bytes.
            (
                "text",
                text.isEmpty
                    ? (layout == .auto ? "auto" : "auto:\(layout.rawValue)")
                    : text.map(\.description).joined(separator: ",")
            ),
            ("keys", keys.map(\.description).joined(separator: ",")),
            ("exact_text", exactText ? "1" : "0"),
            ("near", near ? "1" : "0"),
        ]
    }
}
