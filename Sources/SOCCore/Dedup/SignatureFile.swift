/// The signature file that `soc-dedup sign` writes and `soc-dedup cluster` reads (version 1).
///
/// Text, one record per line, fields separated by a tab:
/// ```
/// #soc-dedup-signatures<TAB>v1<TAB>shard=K<TAB>num_perm=128<TAB>ngram=5<TAB>minhash=oph-xxh3-64<TAB>text=auto<TAB>keys=<TAB>exact_text=1<TAB>near=1
/// K<TAB>ordinal<TAB>file<TAB>line<TAB>id<TAB>key<TAB>text<TAB>signature
/// ...
/// #end<TAB>records=N<TAB>digest=D
/// ```
/// - `K`: the shard (from `--shard`); `ordinal`: 1-based number of the record among the shard's
///   parsed records (blank and rejected lines are not records, so `apply` counts the same way);
/// - `file`: the input's name as a JSON string; `line`: the 1-based line number in that input;
/// - `id`: the record's id as compact JSON (`null` when absent);
/// - `key`: XXH3-128 of the `--key` values as 32 lowercase hex digits (high half first), or `-`;
/// - `text`: XXH3-64 of the normalized text as 16 hex digits, or `-`;
/// - `signature`: the `num_perm` MinHash values, 16 hex digits each, concatenated, or `-`.
/// The trailer makes a truncated file an error instead of a silent loss of records; its digest
/// (`ShardDigest` of the records' line bytes, 16 hex digits) lets `apply` check that it reads the
/// very records that were signed.
public enum SignatureFile {
    public static let magic = "#soc-dedup-signatures"
    public static let version = "v1"
    public static let trailer = "#end"

    /// The header line (without newline).
    public static func header(shard: Int, settings: DedupSettings) -> String {
        ([magic, version, "shard=\(shard)"] + settings.signatureHeaderFields.map { "\($0.0)=\($0.1)" }).joined(
            separator: "\t")
    }

    /// One record line (without newline), appended to `out`.
    public static func appendRecord(_ entry: SignatureEntry, to out: inout [UInt8]) {
        appendDecimal(entry.shard, to: &out)
        out.append(9)
        appendDecimal(entry.ordinal, to: &out)
        out.append(9)
        JSONString.appendQuoted(entry.file, to: &out)
        out.append(9)
        appendDecimal(entry.line, to: &out)
        out.append(9)
        if entry.id.isEmpty { out.append(contentsOf: "null".utf8) } else { out.append(contentsOf: entry.id) }
        out.append(9)
        if let key = entry.fingerprint.keyHash {
            appendHex(key.high, to: &out)
            appendHex(key.low, to: &out)
        } else {
            out.append(UInt8(ascii: "-"))
        }
        out.append(9)
        if let text = entry.fingerprint.textHash { appendHex(text, to: &out) } else { out.append(UInt8(ascii: "-")) }
        out.append(9)
        if entry.fingerprint.signature.isEmpty {
            out.append(UInt8(ascii: "-"))
        } else {
            for value in entry.fingerprint.signature { appendHex(value, to: &out) }
        }
    }

    /// The trailer line (without newline).
    public static func trailerLine(records: Int, digest: UInt64) -> String {
        var hex: [UInt8] = []
        appendHex(digest, to: &hex)
        return "\(trailer)\trecords=\(records)\tdigest=\(String(decoding: hex, as: UTF8.self))"
    }

    /// Parses `records=N<TAB>digest=D` fields (after the first field of a trailer or shard line).
    static func parseCount(_ fields: ArraySlice<Substring>) -> (records: Int, digest: UInt64)? {
        guard fields.count == 2, let first = fields.first, let last = fields.last,
            first.hasPrefix("records="), let records = Int(first.dropFirst(8)),
            last.hasPrefix("digest="), last.count == 23, let digest = UInt64(last.dropFirst(7), radix: 16)
        else { return nil }
        return (records, digest)
    }

    /// Parses a header line into its fields (`shard`, `num_perm`, ...).
    public static func parseHeader(_ line: UnsafeRawBufferPointer) throws(SignatureFileError) -> [String: String] {
        let text = String(decoding: line, as: UTF8.self)
        let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count >= 3, fields[0] == magic else {
            throw SignatureFileError("not a soc-dedup signature file (no '\(magic)' header)")
        }
        guard fields[1] == version else {
            throw SignatureFileError(
                "signature file version \(fields[1]) is not supported (this soc-dedup reads \(version))")
        }
        var result: [String: String] = [:]
        for field in fields.dropFirst(2) {
            guard let eq = field.firstIndex(of: "=") else {
                throw SignatureFileError("header field '\(field)' is not name=value")
            }
            result[String(field[..<eq])] = String(field[field.index(after: eq)...])
        }
        return result
    }

    /// Parses a record line; `numPerm` is the expected signature length.
    public static func parseRecord(_ line: UnsafeRawBufferPointer, numPerm: Int) throws(SignatureFileError)
        -> SignatureEntry
    {
        var fields: [UnsafeRawBufferPointer] = []
        var start = 0
        for i in 0..<line.count where line[i] == 9 {
            fields.append(UnsafeRawBufferPointer(rebasing: line[start..<i]))
            start = i + 1
        }
        fields.append(UnsafeRawBufferPointer(rebasing: line[start..<line.count]))
        guard fields.count == 8 else { throw SignatureFileError("record line has \(fields.count) fields, not 8") }
        guard let shard = decimal(fields[0]), let ordinal = decimal(fields[1]), let lineNumber = decimal(fields[3])
        else {
            throw SignatureFileError("shard, ordinal and line must be decimal numbers")
        }
        guard case .success(let fileValue) = JSONValue.parse(Array(fields[2])), let file = fileValue.stringValue else {
            throw SignatureFileError("file is not a JSON string")
        }
        var fingerprint = RecordFingerprint()
        if !isDash(fields[5]) {
            guard fields[5].count == 32, let high = hex(fields[5], 0), let low = hex(fields[5], 16) else {
                throw SignatureFileError("key is not 32 hex digits")
            }
            fingerprint.keyHash = Key128(high: high, low: low)
        }
        if !isDash(fields[6]) {
            guard fields[6].count == 16, let text = hex(fields[6], 0) else {
                throw SignatureFileError("text hash is not 16 hex digits")
            }
            fingerprint.textHash = text
        }
        if !isDash(fields[7]) {
            guard fields[7].count == numPerm * 16 else {
                throw SignatureFileError("signature is not \(numPerm) × 16 hex digits")
            }
            var signature = [UInt64](repeating: 0, count: numPerm)
            for k in 0..<numPerm {
                guard let value = hex(fields[7], k * 16) else {
                    throw SignatureFileError("signature has a non-hex digit")
                }
                signature[k] = value
            }
            fingerprint.signature = signature
        }
        let id = isNull(fields[4]) ? [] : Array(fields[4])
        return SignatureEntry(
            shard: shard, ordinal: ordinal, file: file, line: lineNumber, id: id, fingerprint: fingerprint)
    }

    // MARK: Encoding helpers

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendHex(_ value: UInt64, to out: inout [UInt8]) {
        var shift = 60
        while shift >= 0 {
            out.append(hexDigits[Int((value >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    private static func isDash(_ field: UnsafeRawBufferPointer) -> Bool {
        field.count == 1 && field[0] == UInt8(ascii: "-")
    }
    private static func isNull(_ field: UnsafeRawBufferPointer) -> Bool { field.elementsEqual("null".utf8) }

    private static func decimal(_ field: UnsafeRawBufferPointer) -> Int? {
        guard !field.isEmpty, field.count <= 18 else { return nil }
        var value = 0
        for byte in field {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    private static func hex(_ field: UnsafeRawBufferPointer, _ offset: Int) -> UInt64? {
        guard offset + 16 <= field.count else { return nil }
        var value: UInt64 = 0
        for i in offset..<offset + 16 {
            let byte = field[i]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}

/// One record of a signature file.
public struct SignatureEntry: Equatable {
    public var shard: Int
    public var ordinal: Int
    public var file: String
    public var line: Int
    /// The id as compact JSON bytes; empty when the record has none.
    public var id: [UInt8]
    public var fingerprint: RecordFingerprint

    public init(shard: Int, ordinal: Int, file: String, line: Int, id: [UInt8], fingerprint: RecordFingerprint) {
        self.shard = shard
        self.ordinal = ordinal
        self.file = file
        self.line = line
        self.id = id
        self.fingerprint = fingerprint
    }
}

/// A signature or removal file that cannot be read as one.
public struct SignatureFileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An order-sensitive digest of a shard's records (their line bytes), cheap enough to compute
/// while signing and applying: `state = mix(state ^ XXH3(line))` per record.
public struct ShardDigest: Equatable, Sendable {
    public private(set) var value: UInt64 = 0

    public init() {}

    public mutating func add(_ line: UnsafeRawBufferPointer) {
        add(hash: Self.hash(line))
    }

    /// Folds in a record whose `hash(_:)` was computed elsewhere (on a worker thread).
    public mutating func add(hash: UInt64) {
        value = MinHasher.mix(value ^ hash)
    }

    /// One record's contribution: XXH3 of its line bytes (0 for an empty line).
    public static func hash(_ line: UnsafeRawBufferPointer) -> UInt64 {
        line.isEmpty ? 0 : XXH3.hash64(line.baseAddress!, line.count)
    }
}
