/// `soc-dedup sign`: writes one signature line per record of a shard (see `SignatureFile`);
/// writes no records. Fingerprints are computed on worker threads; ordinals, the digest and the
/// lines are made in input order in `confirm`.
public final class SignStage: RecordStage {
    public let shard: Int
    private let fingerprints: FingerprintStage
    private let settings: DedupSettings
    private let output: SideOutput
    private var ordinal = 0
    private var digest = ShardDigest()
    private var line: [UInt8] = []

    /// `output`: where the signature file goes (`-` for stdout).
    public init(shard: Int, settings: DedupSettings, output: String) {
        self.shard = shard
        self.settings = settings
        fingerprints = FingerprintStage(settings: settings, wantsID: true)
        self.output = SideOutput(path: output, option: "-o")
    }

    public var sideOutputs: [SideOutput] { [output] }

    public func makeWorker() -> RecordStage? { fingerprints.makeWorker() }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        fingerprints.process(document, at: location)
    }

    public func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
        guard let claim = claim as? FingerprintClaim else { return .consume }
        if ordinal == 0 { try output.write(SignatureFile.header(shard: shard, settings: settings) + "\n") }
        ordinal += 1
        digest.add(hash: claim.lineHash)
        let entry = SignatureEntry(shard: shard, ordinal: ordinal, file: location.file, line: location.line,
                                   id: claim.id, fingerprint: claim.fingerprint)
        line.removeAll(keepingCapacity: true)
        SignatureFile.appendRecord(entry, to: &line)
        line.append(10)
        try output.write(line)
        return .consume
    }

    public func finish() throws {
        if ordinal == 0 { try output.write(SignatureFile.header(shard: shard, settings: settings) + "\n") }
        try output.write(SignatureFile.trailerLine(records: ordinal, digest: digest.value) + "\n")
    }
}

/// `soc-dedup apply`: removes the records of one shard that a removal list names. Line hashes
/// are computed on worker threads; ordinals and the digest are counted in input order.
public final class ApplyStage: RecordStage {
    private let removals: [Int: DuplicateReason]
    private let expected: (records: Int, digest: UInt64)?
    private let hashes = FingerprintStage(settings: DedupSettings(), wantsID: false, fingerprints: false)
    private var ordinal = 0
    private var digest = ShardDigest()

    /// `removals`: ordinal → reason, for this shard only; `expected`: the record count and
    /// digest `sign` saw in this shard (from the list), checked at the end.
    public init(removals: [Int: DuplicateReason], expected: (records: Int, digest: UInt64)? = nil) {
        self.removals = removals
        self.expected = expected
    }

    /// A shard whose record count differs from what was signed was changed (or is another
    /// shard): its ordinals would name the wrong records.
    public func finish() throws {
        guard let expected else { return }
        if expected.records != ordinal || expected.digest != digest.value {
            throw SignatureFileError("this shard's \(ordinal) records differ from the \(expected.records) that were signed: the input is not the one that was signed (its removals would hit the wrong records)")
        }
    }

    public func makeWorker() -> RecordStage? { hashes.makeWorker() }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        hashes.process(document, at: location)
    }

    public func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
        guard let claim = claim as? FingerprintClaim else { return .keep }
        ordinal += 1
        digest.add(hash: claim.lineHash)
        guard let reason = removals[ordinal] else { return .keep }
        return .remove(Diagnosis(code: reason.code, message: "\(reason.rawValue) (from the removal list)"))
    }
}

/// The removal list that `cluster` writes and `apply` reads (version 1):
/// ```
/// #soc-dedup-remove<TAB>v1
/// K<TAB>ordinal<TAB>reason<TAB>kept_K<TAB>kept_ordinal<TAB>similarity
/// ```
/// one line per removed record, in input order; `similarity` as in `--clusters` (`null` if none);
/// then `#shard<TAB>K<TAB>records=N<TAB>digest=D` for every shard, in the order given to
/// `cluster` (from the signature files' trailers).
public enum RemovalList {
    public static let magic = "#soc-dedup-remove"
    public static let version = "v1"

    public static var header: String { "\(magic)\t\(version)" }

    /// The trailer line giving a shard's record count (one per shard, after the removals).
    public static func shardLine(shard: Int, records: Int, digest: UInt64) -> String {
        "#shard\t\(shard)\t" + SignatureFile.trailerLine(records: records, digest: digest).split(separator: "\t").dropFirst().joined(separator: "\t")
    }

    /// The removals of `shard` from the list at `path`, and the shard's record count and digest
    /// (nil when the list does not name the shard).
    public static func read(_ path: String, shard: Int) throws -> (removals: [Int: DuplicateReason], expected: (records: Int, digest: UInt64)?) {
        let source = try InputFile(path).open()
        defer { source.close() }
        let reader = LineReader(source: source, maxLineBytes: 1 << 20)
        var removals: [Int: DuplicateReason] = [:]
        var expected: (records: Int, digest: UInt64)?
        var sawHeader = false
        while let line = try reader.next() {
            let text = String(decoding: line.bytes, as: UTF8.self)
            if !sawHeader {
                guard text == header else { throw SignatureFileError("\(path): not a soc-dedup removal list (first line must be '\(header)')") }
                sawHeader = true
                continue
            }
            if text.isEmpty { continue }
            if text.hasPrefix("#shard\t") {
                let fields = text.split(separator: "\t")
                guard fields.count == 4, let k = Int(fields[1]), let count = SignatureFile.parseCount(fields.dropFirst(2)) else {
                    throw SignatureFileError("\(path):\(line.number): malformed shard line")
                }
                if k == shard { expected = count }
                continue
            }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 6, let k = Int(fields[0]), let ordinal = Int(fields[1]), let reason = DuplicateReason(rawValue: String(fields[2])) else {
                throw SignatureFileError("\(path):\(line.number): malformed removal line")
            }
            if k == shard {
                // A list that names a record twice was not written by cluster: refuse it whole.
                guard removals.updateValue(reason, forKey: ordinal) == nil else {
                    throw SignatureFileError("\(path):\(line.number): shard \(k) ordinal \(ordinal) is listed twice")
                }
            }
        }
        guard sawHeader else { throw SignatureFileError("\(path): empty removal list (no header)") }
        // Ordinals count the shard's records from 1; one outside them names no record of this shard.
        if let expected, let bad = removals.keys.filter({ $0 < 1 || $0 > expected.records }).min() {
            throw SignatureFileError("\(path): shard \(shard) ordinal \(bad) is outside its \(expected.records) records")
        }
        return (removals, expected)
    }
}
