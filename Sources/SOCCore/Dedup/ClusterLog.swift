/// Writes `--clusters` lines: one JSON object per removed record,
/// `{"line","id","reason","kept_line","kept_id","similarity","file","kept_file"}`.
/// `similarity` is the estimated Jaccard similarity rounded to 4 decimals (1 for exact text;
/// null when either record has no text); ids are JSON (`null` when absent).
public enum ClusterLog {
    public static func appendLine(
        line: Int, id: some Collection<UInt8>, reason: DuplicateReason, keptLine: Int, keptID: some Collection<UInt8>,
        similarity: Double?, file: String, keptFile: String, to out: inout [UInt8]
    ) {
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
