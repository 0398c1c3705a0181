#if canImport(Glibc)
import Glibc
#endif

/// The one-shot `soc-dedup`: removes exact and near duplicates of earlier records, keeping the
/// first occurrence; optionally logs each removal to `--clusters`.
public final class DedupStage: RecordStage {
    public let settings: DedupSettings
    private let fingerprinter: Fingerprinter
    private var index: DuplicateIndex
    private var kept: KeptRecords
    private let clusters: OutputSink?
    private var clusterLine: [UInt8] = []

    /// `clustersPath`: where to write the `--clusters` JSONL (nil: not written).
    public init(settings: DedupSettings, maxRecords: Int, clustersPath: String?) throws(OutputError) {
        self.settings = settings
        fingerprinter = Fingerprinter(settings: settings)
        index = DuplicateIndex(threshold: settings.threshold, numPerm: settings.numPerm, parameters: settings.lshParameters, near: settings.near, maxRecords: maxRecords)
        kept = KeptRecords(keepsIDs: clustersPath != nil)
        clusters = try clustersPath.map { (path) throws(OutputError) in try OutputSink.file(path) }
    }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        let fingerprint = fingerprinter.fingerprint(document)
        guard let decision = index.decide(fingerprint) else { DedupLimit.exceeded(index.maxRecords) }
        switch decision {
        case .keep:
            kept.append(file: location.file, line: location.line, id: clusters == nil ? [] : fingerprinter.id(document))
            return .keep
        case .duplicate(let reason, let of, let similarity):
            if let clusters {
                clusterLine.removeAll(keepingCapacity: true)
                ClusterLog.appendLine(line: location.line, id: fingerprinter.id(document), reason: reason, keptLine: kept.line(of), keptID: kept.id(of),
                                      similarity: similarity, file: location.file, keptFile: kept.file(of), to: &clusterLine)
                do throws(OutputError) { try clusters.write(clusterLine) } catch { DedupLimit.failed(error) }
            }
            return .remove(Diagnosis(code: reason.code, message: "\(reason.rawValue) of line \(kept.line(of))"))
        }
    }

    public func finish(tally: Tally) throws {
        try clusters?.commit()
    }

    public var reportExtras: [(String, JSONValue)] {
        DedupReport.extras(settings: settings, index: index, recordsWithoutText: fingerprinter.recordsWithoutText)
    }
}

/// Report fields shared by the one-shot run and `cluster`.
enum DedupReport {
    static func extras(settings: DedupSettings, index: DuplicateIndex, recordsWithoutText: Int?) -> [(String, JSONValue)] {
        let parameters = index.parameters
        var fields: [(String, JSONValue)] = [
            ("threshold", .number(JSONNumber(settings.threshold))),
            ("fn_weight", .number(JSONNumber(settings.fnWeight))),
            ("num_perm", .number(JSONNumber(settings.numPerm))),
            ("ngram", .number(JSONNumber(settings.ngram))),
            ("bands", .number(JSONNumber(parameters.bands))),
            ("rows", .number(JSONNumber(parameters.rows))),
            ("minhash", .string("oph-xxh3-64")),
            ("kept_records", .number(JSONNumber(index.keptCount))),
            ("index_bytes", .number(JSONNumber(index.bytesHeld))),
        ]
        if let recordsWithoutText { fields.append(("records_without_text", .number(JSONNumber(recordsWithoutText)))) }
        return fields
    }
}

/// How a run ends when it cannot go on: the index is full, or a side output failed.
public enum DedupLimit {
    /// The default `--max-records`: half the physical memory at 1 KiB per kept record.
    public static var defaultMaxRecords: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 10_000_000 }
        return max(1000, pages * pageSize / 2 / 1024)
    }

    static func exceeded(_ limit: Int) -> Never {
        StandardError.write("soc-dedup: more than \(limit) distinct records (--max-records \(limit)); the index would outgrow the memory it may use. Raise --max-records if the machine has room (about 1 KB per record), or deduplicate parts of the data first.\n")
        exit(ExitStatus.dataFailure.rawValue)
    }

    static func failed(_ error: OutputError) -> Never {
        if case .brokenPipe = error { exit(0) }
        StandardError.write("soc-dedup: \(error)\n")
        exit(ExitStatus.ioError.rawValue)
    }
}
