#if canImport(Glibc)
    import Glibc
#endif

/// The one-shot `soc-dedup`: removes exact and near duplicates of earlier records, keeping the
/// first occurrence; optionally logs each removal to `--clusters`.
///
/// A record's fingerprint needs no other record, so it is computed on worker threads
/// (`FingerprintStage`); probing the index and inserting the record happen in input order in
/// `confirm`, so the decisions cannot depend on the thread count.
public final class DedupStage: RecordStage {
    public let settings: DedupSettings
    private let fingerprints: FingerprintStage
    // Touched only in `confirm`, on the writer thread, once per record: no runtime exclusivity
    // checks (as `RecordRunner.tally`).
    @exclusivity(unchecked) private var index: DuplicateIndex
    @exclusivity(unchecked) private var kept: KeptRecords
    private let clusters: SideOutput?
    @exclusivity(unchecked) private var clusterLine: [UInt8] = []
    @exclusivity(unchecked) private var recordsWithoutText = 0

    /// `clustersPath`: where to write the `--clusters` JSONL (nil: not written).
    public init(settings: DedupSettings, maxRecords: Int, clustersPath: String?) {
        self.settings = settings
        // Found once (a search over every bands × rows) and handed to the workers.
        let parameters = settings.lshParameters
        // The one-shot run has no shard digest: no line hashes (6M of 411M instructions on the
        // first 10 MB of the realistic bench file). The workers make each record's LSH keys, so
        // that the ordered probe below hashes nothing.
        fingerprints = FingerprintStage(
            settings: settings, wantsID: clustersPath != nil, wantsLineHash: false, indexParameters: parameters)
        index = DuplicateIndex(
            threshold: settings.threshold, numPerm: settings.numPerm, parameters: parameters,
            near: settings.near, maxRecords: maxRecords)
        kept = KeptRecords(keepsIDs: clustersPath != nil)
        clusters = clustersPath.map { SideOutput(path: $0, option: "--clusters") }
    }

    public var sideOutputs: [SideOutput] { clusters.map { [$0] } ?? [] }

    public func makeWorker() -> RecordStage? { fingerprints.makeWorker() }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        fingerprints.process(document, at: location)
    }

    public func endUnit() -> (any WorkUnitResult)? { fingerprints.endUnit() }

    public func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
        guard let claim = claim.exactly(IndexedClaim.self) else { return .keep }
        if claim.withoutText { recordsWithoutText += 1 }
        // The next record of the unit is most likely the next claim: its first band-table slots
        // are fetched while this one is judged (the tables outgrow the cache: 7.3 MB on the
        // 100 MB bench file, a miss per band and record). The batch is borrowed (see
        // `IndexedClaim`).
        let (record, nextHashes) = claim.batchRef._withUnsafeGuaranteedRef { batch in
            let next = Int(claim.index) &+ 1
            return (batch.view(Int(claim.index)), next < batch.count ? batch.bandHashes(next) : nil)
        }
        index.prefetch(bandHashes: nextHashes)
        guard let decision = index.decide(record) else { throw DedupLimit.exceeded(index.maxRecords) }
        switch decision {
        case .keep:
            kept.append(file: location.file, line: location.line, id: claim.id)
            return .keep
        case .duplicate(let reason, let of, let similarity):
            if let clusters {
                clusterLine.removeAll(keepingCapacity: true)
                ClusterLog.appendLine(
                    line: location.line, id: claim.id, reason: reason, keptLine: kept.line(of), keptID: kept.id(of),
                    similarity: similarity, file: location.file, keptFile: kept.file(of), to: &clusterLine)
                try clusters.write(clusterLine)
            }
            return .remove(Diagnosis(code: reason.code, message: "\(reason.rawValue) of line \(kept.line(of))"))
        }
    }

    public var reportExtras: [(String, JSONValue)] {
        DedupReport.extras(settings: settings, index: index, recordsWithoutText: recordsWithoutText)
    }
}

/// A record's fingerprint, id and line hash, to be judged in input order.
struct FingerprintClaim: OrderedClaim {
    /// The record's fingerprint.
    var fingerprint: RecordFingerprint
    /// The id for `--clusters` and signature files (empty when not wanted or absent).
    var id: [UInt8]
    /// The record's `ShardDigest` hash (0 when the stage does not ask for it).
    var lineHash: UInt64
    /// The record's text had no tokens.
    var withoutText: Bool
}

/// The part of dedup that needs no other record, for any thread: each record's fingerprint (when
/// `settings` compare anything), id and line hash, as a `FingerprintClaim`; with
/// `indexParameters`, the record's LSH keys made, in an `IndexedBatch` of the unit, as an
/// `IndexedClaim` (no line hash).
final class FingerprintStage: RecordStage {
    let settings: DedupSettings
    let wantsID: Bool
    let fingerprints: Bool
    let wantsLineHash: Bool
    /// The duplicate index's LSH parameters, when claims carry an `IndexedRecord`.
    let indexParameters: LSHParameters?
    private let fingerprinter: Fingerprinter
    /// The unit's records, with `indexParameters`; a new batch for each unit (`endUnit`).
    /// Touched by the worker that owns this stage only: no runtime exclusivity checks.
    @exclusivity(unchecked) private var batch: IndexedBatch? {
        didSet { batchRef = batch.map { Unmanaged.passUnretained($0) } }
    }
    /// `batch`, unretained (`batch` keeps it alive), for the claims (see `IndexedClaim`).
    @exclusivity(unchecked) private var batchRef: Unmanaged<IndexedBatch>?

    init(
        settings: DedupSettings, wantsID: Bool, fingerprints: Bool = true, wantsLineHash: Bool = true,
        indexParameters: LSHParameters? = nil
    ) {
        self.settings = settings
        self.wantsID = wantsID
        self.fingerprints = fingerprints
        self.wantsLineHash = wantsLineHash
        self.indexParameters = indexParameters
        fingerprinter = Fingerprinter(settings: settings)
        batch = indexParameters.map {
            IndexedBatch(numPerm: settings.numPerm, bands: settings.near ? $0.bands : 0, records: 128)
        }
        batchRef = batch.map { Unmanaged.passUnretained($0) }
    }

    func makeWorker() -> RecordStage? {
        FingerprintStage(
            settings: settings, wantsID: wantsID, fingerprints: fingerprints, wantsLineHash: wantsLineHash,
            indexParameters: indexParameters)
    }

    func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        let before = fingerprinter.recordsWithoutText
        let fingerprint = fingerprints ? fingerprinter.fingerprint(document) : RecordFingerprint()
        if let batchRef, let indexParameters {
            let index = batchRef._withUnsafeGuaranteedRef { $0.append(fingerprint, rows: indexParameters.rows) }
            return .keep(
                claim: IndexedClaim(
                    batchRef: batchRef, index: Int32(truncatingIfNeeded: index),
                    withoutText: fingerprinter.recordsWithoutText != before,
                    id: wantsID ? fingerprinter.id(document) : []))
        }
        return .keep(
            claim: FingerprintClaim(
                fingerprint: fingerprint, id: wantsID ? fingerprinter.id(document) : [],
                lineHash: wantsLineHash ? ShardDigest.hash(document.bytes) : 0,
                withoutText: fingerprinter.recordsWithoutText != before))
    }

    /// Starts a new batch: the claims of the unit just decided hold the last one.
    func endUnit() -> (any WorkUnitResult)? {
        guard let last = batch else { return nil }
        batch = IndexedBatch(numPerm: last.numPerm, bands: last.bands, records: last.count)
        // The unit keeps its batch until it is applied: its claims do not (`IndexedClaim`).
        return FinishedBatch(batch: last)
    }
}

/// Report fields shared by the one-shot run and `cluster`.
enum DedupReport {
    /// The signing and banding parameters, in the order every dedup report writes them.
    static func parameterFields(settings: DedupSettings, parameters: LSHParameters) -> [(String, JSONValue)] {
        [
            ("threshold", .number(JSONNumber(settings.threshold))),
            ("fn_weight", .number(JSONNumber(settings.fnWeight))),
            ("num_perm", .number(JSONNumber(settings.numPerm))),
            ("ngram", .number(JSONNumber(settings.ngram))),
            ("bands", .number(JSONNumber(parameters.bands))),
            ("rows", .number(JSONNumber(parameters.rows))),
            ("minhash", .string("oph-xxh3-64")),
        ]
    }

    static func extras(settings: DedupSettings, index: DuplicateIndex, recordsWithoutText: Int?) -> [(
        String, JSONValue
    )] {
        var fields =
            parameterFields(settings: settings, parameters: index.parameters) + [
                ("kept_records", .number(JSONNumber(index.keptCount))),
                ("index_bytes", .number(JSONNumber(index.bytesHeld))),
            ]
        if let recordsWithoutText { fields.append(("records_without_text", .number(JSONNumber(recordsWithoutText)))) }
        return fields
    }
}

/// The index's memory limit.
public enum DedupLimit {
    /// The default `--max-records`: half the physical memory at 1 KiB per kept record.
    public static var defaultMaxRecords: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 10_000_000 }
        return max(1000, pages * pageSize / 2 / 1024)
    }

    /// The error that stops a run whose index is full (a data failure, status 1).
    static func exceeded(_ limit: Int) -> RunFailure {
        RunFailure(
            .dataFailure,
            "more than \(limit) distinct records (--max-records \(limit)); the index would outgrow the memory it may use. Raise --max-records if the machine has room (about 1 KB per record), or deduplicate parts of the data first."
        )
    }
}
