/// How an input's bytes are stored: plain text, or one of the compressions the tools read.
///
/// A name that promises a compression (`.gz`, `.zst`, `.bz2`, `.xz`) must hold it; any other
/// name is decided by the first bytes (the formats' magic numbers), so that a gzip file named
/// `data.jsonl` or piped into stdin is read as what it is.
public enum InputFormat: String, Sendable, CaseIterable {
    case plain
    case gzip
    case zstd
    case bzip2
    case xz

    /// The format the file name promises, or nil when the name says nothing.
    public init?(promisedBy path: String) {
        if path.hasSuffix(".gz") {
            self = .gzip
        } else if path.hasSuffix(".zst") || path.hasSuffix(".zstd") {
            self = .zstd
        } else if path.hasSuffix(".bz2") {
            self = .bzip2
        } else if path.hasSuffix(".xz") {
            self = .xz
        } else {
            return nil
        }
    }

    /// The compression whose magic number `head` starts with, or `.plain`.
    public static func sniff(_ head: UnsafeRawBufferPointer) -> InputFormat {
        func starts(_ magic: [UInt8]) -> Bool {
            head.count >= magic.count && zip(head, magic).allSatisfy { $0 == $1 }
        }
        if starts([0x1F, 0x8B]) { return .gzip }
        // A zstd frame, or a skippable frame (magic 0x184D2A5?) that zstd tools put first.
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if head.count >= 4 && head[0] & 0xF0 == 0x50 && head[1] == 0x2A && head[2] == 0x4D && head[3] == 0x18 {
            return .zstd
        }
        // "BZh" and the block size digit 1-9.
        if starts([0x42, 0x5A, 0x68]) && head.count >= 4 && (0x31...0x39).contains(head[3]) { return .bzip2 }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        return .plain
    }

    /// Bytes enough to tell every magic number apart.
    static let magicLength = 6
}

/// Binary data that is not JSONL text: what it looks like, and how to make JSONL of it.
///
/// Such an input would otherwise become thousands of rejected "lines"; it is refused at once
/// as an input error instead (status 3), with a message that names the likely format.
public struct BinaryInput: Sendable, Equatable {
    /// What the bytes look like, e.g. "a Parquet file".
    public var looksLike: String
    /// How to convert it, e.g. "soc-parquet to-jsonl FILE | soc-validate".
    public var advice: String

    /// Bytes at the start in which a NUL byte marks binary data (JSON text never holds one raw).
    public static let windowBytes = 4096

    /// The binary format `head` (the first bytes of the content) starts with, if one is known.
    static func recognize(_ head: UnsafeRawBufferPointer, path: String) -> BinaryInput? {
        func starts(_ magic: [UInt8]) -> Bool {
            head.count >= magic.count && zip(head, magic).allSatisfy { $0 == $1 }
        }
        let file = path == "-" ? "FILE" : shellQuoted(path)
        if starts(Array("PAR1".utf8)) {
            return BinaryInput(
                looksLike: "a Parquet file (it starts with PAR1)",
                advice: "convert it to JSONL with `soc-parquet to-jsonl \(file)` and pipe that in")
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            return BinaryInput(
                looksLike: "a zip archive", advice: "extract the JSONL with `unzip -p \(file)` and pipe that in")
        }
        if starts([0x04, 0x22, 0x4D, 0x18]) {
            return BinaryInput(looksLike: "lz4 data", advice: "decompress it with `lz4 -dc \(file)` and pipe that in")
        }
        if starts(Array("ARROW1".utf8)) {
            return BinaryInput(
                looksLike: "an Arrow IPC file", advice: "write it as Parquet or JSONL with pyarrow first")
        }
        if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) {
            return BinaryInput(
                looksLike: "UTF-16 text (it starts with a UTF-16 byte order mark)",
                advice: "convert it with `iconv -f UTF-16 -t UTF-8 \(file)` and pipe that in")
        }
        return nil
    }

    /// The message for a NUL byte at `offset` of data not recognized otherwise.
    static func nulByte(at offset: Int, path: String) -> BinaryInput {
        let file = path == "-" ? "FILE" : shellQuoted(path)
        return BinaryInput(
            looksLike: "binary data, not JSONL text (a NUL byte at offset \(offset), within the first 4 KiB)",
            advice:
                "convert it to JSONL first (Parquet: `soc-parquet to-jsonl \(file)`; UTF-16 text: `iconv -f UTF-16 -t UTF-8 \(file)`)"
        )
    }

    /// The input error for this binary input.
    func error(input: String, decompressed format: InputFormat) -> InputError {
        let what = format == .plain ? "looks like" : "holds \(format.rawValue) data that looks like"
        return InputError(input: input, message: "\(what) \(looksLike); \(advice)")
    }

    private static func shellQuoted(_ path: String) -> String {
        let safe = path.allSatisfy { $0.isLetter || $0.isNumber || "/._-+,:@".contains($0) }
        return safe
            ? path
            : "'" + path.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}
