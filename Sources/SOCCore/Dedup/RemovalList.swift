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

    /// One removal line, with its newline: `K ordinal reason kept_K kept_ordinal similarity`
    /// (the similarity rounded to 4 decimals as in `--clusters`, `null` when unknown).
    public static func appendLine(
        shard: Int, ordinal: Int, reason: DuplicateReason, keptShard: Int, keptOrdinal: Int, similarity: Double?,
        to out: inout [UInt8]
    ) {
        out.append(contentsOf: "\(shard)\t\(ordinal)\t\(reason.rawValue)\t\(keptShard)\t\(keptOrdinal)\t".utf8)
        out.append(contentsOf: (similarity.map { JSONNumber(($0 * 10000).rounded() / 10000).text } ?? "null").utf8)
        out.append(10)
    }

    /// The trailer line giving a shard's record count (one per shard, after the removals).
    public static func shardLine(shard: Int, records: Int, digest: UInt64) -> String {
        "#shard\t\(shard)\t"
            + SignatureFile.trailerLine(records: records, digest: digest).split(separator: "\t").dropFirst().joined(
                separator: "\t")
    }

    /// The removals of `shard` from the list at `path`, and the shard's record count and digest
    /// (nil when the list does not name the shard).
    public static func read(_ path: String, shard: Int) throws -> (
        removals: [Int: DuplicateReason], expected: (records: Int, digest: UInt64)?
    ) {
        let source = try InputFile(path).open()
        defer { source.close() }
        let reader = LineReader(source: source, maxLineBytes: 1 << 20)
        var removals: [Int: DuplicateReason] = [:]
        var expected: (records: Int, digest: UInt64)?
        var sawHeader = false
        while let line = try reader.next() {
            let text = String(decoding: line.bytes, as: UTF8.self)
            if !sawHeader {
                guard text == header else {
                    throw SignatureFileError("\(path): not a soc-dedup removal list (first line must be '\(header)')")
                }
                sawHeader = true
                continue
            }
            if text.isEmpty { continue }
            if text.hasPrefix("#shard\t") {
                let fields = text.split(separator: "\t")
                guard fields.count == 4, let k = Int(fields[1]),
                    let count = SignatureFile.parseCount(fields.dropFirst(2))
                else {
                    throw SignatureFileError("\(path):\(line.number): malformed shard line")
                }
                if k == shard { expected = count }
                continue
            }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 6, let k = Int(fields[0]), let ordinal = Int(fields[1]),
                let reason = DuplicateReason(rawValue: String(fields[2]))
            else {
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
            throw SignatureFileError(
                "\(path): shard \(shard) ordinal \(bad) is outside its \(expected.records) records")
        }
        return (removals, expected)
    }
}
