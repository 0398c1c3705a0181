/// `soc-dedup cluster`: the one global step. Reads the signature files of all shards in the
/// order given and decides removals with the same `DuplicateIndex` as the one-shot run, so the
/// result equals a one-shot run over the shards' inputs concatenated in that order.
public struct ClusterRun {
    public var signatureFiles: [String]
    public var threshold: Double
    /// See `DedupSettings.fnWeight`.
    public var fnWeight: Double
    public var maxRecords: Int
    /// `--clusters` output, or nil.
    public var clustersPath: String?
    /// `--groups`: greedy (the one-shot run's answer) or connected components.
    public var groups = DedupGroups.greedy
    /// `--bucket-window` of the components mode.
    public var window = ComponentGrouping.defaultWindow

    public init(signatureFiles: [String], threshold: Double, fnWeight: Double, maxRecords: Int, clustersPath: String?) {
        self.signatureFiles = signatureFiles
        self.threshold = threshold
        self.fnWeight = fnWeight
        self.maxRecords = maxRecords
        self.clustersPath = clustersPath
    }

    /// What the run found: counts per reason and the report fields.
    public struct Outcome {
        public var tally: Tally
        public var extras: [(String, JSONValue)]
    }

    /// Writes the removal list to `output`; throws on unreadable or inconsistent inputs.
    public func run(output: OutputSink) throws -> Outcome {
        var index: DuplicateIndex?
        var components: ComponentRecords?
        var settings = DedupSettings()
        var firstHeader: [String: String]?
        var seenShards: Set<Int> = []
        var shardSizes: [(Int, Int, UInt64)] = []
        var kept = KeptRecords(keepsIDs: clustersPath != nil)
        var keptShard: [Int32] = []
        var keptOrdinal: [Int64] = []
        let clusters = try clustersPath.map { (path) throws(OutputError) in try OutputSink.file(path) }
        var tally = Tally()
        var buffer: [UInt8] = []
        try output.write(RemovalList.header + "\n")

        for path in signatureFiles {
            let source = try InputFile(path).open()
            defer { source.close() }
            let reader = LineReader(source: source, maxLineBytes: 1 << 26)
            guard let first = try reader.next() else { throw SignatureFileError("\(path): empty signature file") }
            var header = try SignatureFile.parseHeader(first.bytes)
            guard let shardText = header.removeValue(forKey: "shard"), let shard = Int(shardText) else {
                throw SignatureFileError("\(path): header has no shard=K")
            }
            guard seenShards.insert(shard).inserted else {
                throw SignatureFileError("\(path): shard \(shard) was already given")
            }
            if let firstHeader {
                guard firstHeader == header else {
                    throw SignatureFileError(
                        "\(path): signed with different settings than \(signatureFiles[0]) (\(Self.describe(header)) vs \(Self.describe(firstHeader)))"
                    )
                }
            } else {
                firstHeader = header
                guard let numPerm = header["num_perm"].flatMap(Int.init), numPerm >= 1,
                    let ngram = header["ngram"].flatMap(Int.init)
                else {
                    throw SignatureFileError("\(path): header lacks num_perm or ngram")
                }
                guard header["minhash"] == "oph-xxh3-64" else {
                    throw SignatureFileError("\(path): unknown minhash scheme '\(header["minhash"] ?? "")'")
                }
                settings.numPerm = numPerm
                settings.ngram = ngram
                settings.threshold = threshold
                settings.fnWeight = fnWeight
                settings.near = header["near"] != "0"
                if groups == .components {
                    components = ComponentRecords(
                        grouping: ComponentGrouping(
                            threshold: threshold, numPerm: numPerm, parameters: settings.lshParameters,
                            near: settings.near, window: window),
                        keepsIDs: clustersPath != nil)
                }
                index = DuplicateIndex(
                    threshold: threshold, numPerm: numPerm, parameters: settings.lshParameters, near: settings.near,
                    maxRecords: maxRecords)
            }
            var records = 0
            var digest: UInt64 = 0
            var ended = false
            while let line = try reader.next() {
                if line.bytes.first == UInt8(ascii: "#") {
                    let text = String(decoding: line.bytes, as: UTF8.self)
                    let fields = text.split(separator: "\t")
                    guard fields.first == Substring(SignatureFile.trailer),
                        let count = SignatureFile.parseCount(fields.dropFirst()), count.records == records
                    else {
                        throw SignatureFileError(
                            "\(path):\(line.number): trailer '\(text)' does not match the \(records) records read")
                    }
                    digest = count.digest
                    ended = true
                    continue
                }
                guard !ended else { throw SignatureFileError("\(path):\(line.number): record after the trailer") }
                let entry: SignatureEntry
                do { entry = try SignatureFile.parseRecord(line.bytes, numPerm: settings.numPerm) } catch {
                    throw SignatureFileError("\(path):\(line.number): \(error)")
                }
                records += 1
                tally.countRead()
                if components != nil {
                    guard components!.count < maxRecords else { throw DedupLimit.exceeded(maxRecords) }
                    components!.add(entry)
                    continue
                }
                guard let decision = index!.decide(entry.fingerprint) else { throw DedupLimit.exceeded(maxRecords) }
                switch decision {
                case .keep:
                    kept.append(file: entry.file, line: entry.line, id: entry.id)
                    keptShard.append(Int32(truncatingIfNeeded: entry.shard))
                    keptOrdinal.append(Int64(entry.ordinal))
                    tally.countWritten(modified: false)
                case .duplicate(let reason, let of, let similarity):
                    tally.countRemoved(reason.code)
                    buffer.removeAll(keepingCapacity: true)
                    RemovalList.appendLine(
                        shard: entry.shard, ordinal: entry.ordinal, reason: reason, keptShard: Int(keptShard[of]),
                        keptOrdinal: Int(keptOrdinal[of]), similarity: similarity, to: &buffer)
                    try output.write(buffer)
                    if let clusters {
                        buffer.removeAll(keepingCapacity: true)
                        ClusterLog.appendLine(
                            line: entry.line, id: entry.id, reason: reason, keptLine: kept.line(of),
                            keptID: kept.id(of),
                            similarity: similarity, file: entry.file, keptFile: kept.file(of), to: &buffer)
                        try clusters.write(buffer)
                    }
                }
            }
            guard ended else {
                throw SignatureFileError("\(path): no '\(SignatureFile.trailer)' line: the signature file is truncated")
            }
            shardSizes.append((shard, records, digest))
        }
        if let components {
            try components.writeRemovals(to: output, clusters: clusters, tally: &tally)
        }
        for (shard, records, digest) in shardSizes {
            try output.write(RemovalList.shardLine(shard: shard, records: records, digest: digest) + "\n")
        }
        try clusters?.commit()
        let extras = index.map { DedupReport.extras(settings: settings, index: $0, recordsWithoutText: nil) } ?? []
        return Outcome(tally: tally, extras: extras)
    }

    private static func describe(_ header: [String: String]) -> String {
        header.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
