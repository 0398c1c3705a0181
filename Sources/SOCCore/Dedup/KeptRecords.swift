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
