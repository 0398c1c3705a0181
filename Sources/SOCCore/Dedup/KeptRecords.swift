/// What `--clusters` needs to remember about each kept record: where it was and its id.
/// Held only when `--clusters` (or `cluster`) asks for it: 12 bytes plus the id per record.
public struct KeptRecords {
    private var files: [String] = []
    private var fileOf: [UInt32] = []
    private var lines: [Int64] = []
    private var idBytes: [UInt8] = []
    private var idEnds: [UInt32] = []
    private let keepsIDs: Bool

    public init(keepsIDs: Bool) {
        self.keepsIDs = keepsIDs
    }

    public var count: Int { lines.count }

    /// Appends a kept record (its index is the previous `count`).
    public mutating func append(file: String, line: Int, id: [UInt8]) {
        if files.last != file { files.append(file) }
        fileOf.append(UInt32(files.count - 1))
        lines.append(Int64(line))
        if keepsIDs {
            idBytes.append(contentsOf: id)
            idEnds.append(UInt32(truncatingIfNeeded: idBytes.count))
        }
    }

    public func file(_ index: Int) -> String { files[Int(fileOf[index])] }
    public func line(_ index: Int) -> Int { Int(lines[index]) }
    public func id(_ index: Int) -> ArraySlice<UInt8> {
        guard keepsIDs else { return [] }
        let start = index == 0 ? 0 : Int(idEnds[index - 1])
        return idBytes[start..<Int(idEnds[index])]
    }
}

/// Writes `--clusters` lines: one JSON object per removed record,
/// `{"line","id","reason","kept_line","kept_id","similarity","file","kept_file"}`.
/// `similarity` is the estimated Jaccard similarity rounded to 4 decimals (1 for exact text;
/// null when either record has no text); ids are JSON (`null` when absent).
public enum ClusterLog {
    public static func appendLine(line: Int, id: some Collection<UInt8>, reason: DuplicateReason, keptLine: Int, keptID: some Collection<UInt8>,
                                  similarity: Double?, file: String, keptFile: String, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"line\":\(line),\"id\":".utf8)
        appendID(id, to: &out)
        out.append(contentsOf: ",\"reason\":\"\(reason.rawValue)\",\"kept_line\":\(keptLine),\"kept_id\":".utf8)
        appendID(keptID, to: &out)
        out.append(contentsOf: ",\"similarity\":".utf8)
        if let similarity {
            out.append(contentsOf: JSONNumber((similarity * 10000).rounded() / 10000).text.utf8)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: ",\"file\":".utf8)
        JSONString.appendQuoted(file, to: &out)
        out.append(contentsOf: ",\"kept_file\":".utf8)
        JSONString.appendQuoted(keptFile, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }

    private static func appendID(_ id: some Collection<UInt8>, to out: inout [UInt8]) {
        if id.isEmpty { out.append(contentsOf: "null".utf8) } else { out.append(contentsOf: id) }
    }
}
