import Testing

@testable import SOCCore

/// The read loop every compressed input shares (`DecompressingSource`), for each format: two
/// concatenated streams read as one whatever the sizes of the reads below and above it, an
/// output buffer that the last bytes fill exactly, and a truncated or empty input refused.
@Suite struct DecompressingSourceTests {
    static let formats: [InputFormat] = [.gzip, .zstd, .bzip2, .xz]

    /// `text` compressed as one stream by the format's encoder.
    static func compressed(_ text: [UInt8], _ format: InputFormat) throws -> [UInt8] {
        let encoder = try #require(try format.makeEncoder(target: "test"))
        var out: [UInt8] = []
        try text.withUnsafeBytes { input in
            try encoder.encode(input, finish: true) { (bytes) throws(OutputError) in out += bytes }
        }
        return out
    }

    /// Some lines of varied text, `count` of them.
    static func text(_ seed: Int, count: Int) -> [UInt8] {
        var lines = ""
        for k in 0..<count {
            lines += #"{"k": \#(k * seed), "text": "Zoë \#(String(repeating: "ab", count: k % 37))"}"# + "\n"
        }
        return Array(lines.utf8)
    }

    static func source(_ bytes: [UInt8], _ format: InputFormat, chunk: Int) throws -> ByteSource {
        let inner = ChunkedSource(bytes, chunk: chunk)
        switch format {
        case .gzip: return DecompressingSource(inner: inner, name: "in", decoder: try GzipDecoder())
        case .zstd: return DecompressingSource(inner: inner, name: "in", decoder: try ZstdDecoder())
        case .bzip2: return DecompressingSource(inner: inner, name: "in", decoder: try Bzip2Decoder())
        case .xz: return DecompressingSource(inner: inner, name: "in", decoder: try XzDecoder())
        case .plain: return inner
        }
    }

    /// Everything `source` gives, read `size` bytes at a time.
    static func readAll(_ source: ByteSource, size: Int) throws -> [UInt8] {
        defer { source.close() }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: size)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    @Test(arguments: formats)
    func concatenatedStreamsAreOneInputWhateverTheReadSizes(_ format: InputFormat) throws {
        let first = Self.text(3, count: 400)
        let second = Self.text(7, count: 250)
        let both = try Self.compressed(first, format) + Self.compressed(second, format)
        for (chunk, size) in [
            (1, 4096), (13, 1), (4096, 7), (both.count, 1 << 16), (both.count, first.count + second.count),
        ] {
            let out = try Self.readAll(try Self.source(both, format, chunk: chunk), size: size)
            #expect(out == first + second, "\(format) chunk \(chunk) size \(size)")
        }
    }

    @Test(arguments: formats)
    func aTruncatedStreamIsRefused(_ format: InputFormat) throws {
        let text = Self.text(5, count: 300)
        let whole = try Self.compressed(text, format)
        for cut in [1, whole.count / 2, whole.count - 1] {
            let error = #expect(throws: InputError.self) {
                _ = try Self.readAll(try Self.source(Array(whole[0..<cut]), format, chunk: 100), size: 512)
            }
            let message = error?.message ?? ""
            #expect(
                message == "\(format.rawValue) stream is truncated"
                    || message.hasPrefix("\(format.rawValue) data is corrupt"),
                "\(format) cut at \(cut): \(message)")
        }
        // A second stream cut short after a whole first one is truncated too.
        let twice = whole + whole[0..<(whole.count - 1)]
        #expect(throws: InputError.self) { _ = try Self.readAll(try Self.source(twice, format, chunk: 64), size: 512) }
    }

    @Test(arguments: formats)
    func anEmptyOrForeignInputIsRefusedByName(_ format: InputFormat) throws {
        let empty = #expect(throws: InputError.self) {
            _ = try Self.readAll(try Self.source([], format, chunk: 1), size: 64)
        }
        #expect(empty?.message == "not in \(format.rawValue) format: the file is empty")
        let foreign = #expect(throws: InputError.self) {
            _ = try Self.readAll(try Self.source(Array(#"{"plain": "json"}"#.utf8), format, chunk: 64), size: 64)
        }
        #expect(foreign?.message == "not in \(format.rawValue) format")
    }
}
