import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

/// Inputs told by their content (issue 13): each compression's magic bytes, names that promise
/// a format, and binary data refused with what it looks like.
@Suite struct InputFormatTests {
    static func sniff(_ bytes: [UInt8]) -> InputFormat {
        bytes.withUnsafeBytes { InputFormat.sniff($0) }
    }

    @Test func eachCompressionIsToldByItsMagicBytes() {
        #expect(Self.sniff([0x1F, 0x8B, 0x08, 0, 0, 0]) == .gzip)
        #expect(Self.sniff([0x28, 0xB5, 0x2F, 0xFD, 0x04, 0]) == .zstd)
        #expect(Self.sniff([0x50, 0x2A, 0x4D, 0x18, 0, 0]) == .zstd, "a skippable frame first")
        #expect(Self.sniff(Array("BZh91AY".utf8)) == .bzip2)
        #expect(Self.sniff([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00]) == .xz)
        // Near misses stay plain: a bzip2 header needs its block-size digit, xz all six bytes.
        #expect(Self.sniff(Array("BZh0".utf8)) == .plain)
        #expect(Self.sniff([0xFD, 0x37, 0x7A, 0x58, 0x5A]) == .plain)
        #expect(Self.sniff(Array(#"{"chat_id": 1}"#.utf8)) == .plain)
        #expect(Self.sniff([0x1F]) == .plain)
        #expect(Self.sniff([]) == .plain)
    }

    @Test func aNameThatPromisesAFormatIsTaken() {
        #expect(InputFormat(promisedBy: "a.jsonl.gz") == .gzip)
        #expect(InputFormat(promisedBy: "a.jsonl.zst") == .zstd)
        #expect(InputFormat(promisedBy: "a.zstd") == .zstd)
        #expect(InputFormat(promisedBy: "a.jsonl.bz2") == .bzip2)
        #expect(InputFormat(promisedBy: "a.jsonl.xz") == .xz)
        #expect(InputFormat(promisedBy: "a.jsonl") == nil)
        #expect(InputFormat(promisedBy: "-") == nil)
    }

    /// The read-ahead bytes come out again, then the rest, even from a source that gives one
    /// byte per read (a slow pipe); a NUL in the first 4 KiB is found in a later read too.
    @Test func theHeadIsHandedOutAgainAndNulsAreFoundAcrossReads() throws {
        let text = Array(String(repeating: #"{"a": 1}"# + "\n", count: 600).utf8)
        let head = try HeadSource(inner: ChunkedSource(text, chunk: 1), name: "pipe")
        #expect(head.peeked.count == InputFormat.magicLength)
        try head.refuseBinary(path: "-", decompressedFrom: .plain)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 777)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try head.read(into: $0) }
            if n == 0 { break }
            out += buffer[0..<n]
        }
        #expect(out == text)

        var binary = text
        binary[3000] = 0
        let nul = try HeadSource(inner: ChunkedSource(binary, chunk: 5), name: "pipe")
        try nul.refuseBinary(path: "-", decompressedFrom: .plain)
        #expect(throws: InputError.self) {
            while try buffer.withUnsafeMutableBytes({ try nul.read(into: $0) }) > 0 {}
        }
        // Past the first 4 KiB a NUL is data for the line parser, not a reason to refuse the input.
        var late = text
        late[5000] = 0
        let after = try HeadSource(inner: ChunkedSource(late, chunk: 1000), name: "pipe")
        try after.refuseBinary(path: "-", decompressedFrom: .plain)
        var total = 0
        while true {
            let n = try buffer.withUnsafeMutableBytes { try after.read(into: $0) }
            if n == 0 { break }
            total += n
        }
        #expect(total == late.count)
    }

    @Test func binaryInputIsRefusedWithWhatItLooksLike() throws {
        let dir = try TemporaryDirectory()
        let cases: [([UInt8], String)] = [
            (Array("PAR1".utf8) + [0x15, 0, 0, 0] + Array("PAR1".utf8), "looks like a Parquet file"),
            ([0x50, 0x4B, 0x03, 0x04, 0x14, 0], "looks like a zip archive"),
            ([0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], "looks like UTF-16 text"),
            (Array("{\"a\": 1}\n\u{0}\u{1}\u{2}".utf8), "a NUL byte at offset 9"),
        ]
        for (bytes, message) in cases {
            let path = try dir.write("data.jsonl", bytes: Data(bytes))
            #expect {
                _ = try InputFile(path).open()
            } throws: { error in
                "\(error)".hasPrefix("\(path): ") && "\(error)".contains(message)
            }
        }
    }

    /// Every compression under a name that says nothing reads as the plain text.
    @Test(arguments: ["gzip", "zstd", "bzip2", "xz"])
    func compressedContentUnderAPlainNameIsDecompressed(_ tool: String) throws {
        let dir = try TemporaryDirectory()
        let text = String(repeating: #"{"turn": "hello"}"# + "\n", count: 5000)
        let plain = try dir.write("plain.jsonl", text)
        let run = Process()
        run.executableURL = URL(fileURLWithPath: "/bin/sh")
        run.arguments = ["-c", "\(tool) -c '\(plain)' > '\(dir.path("data.jsonl"))'"]
        try run.run()
        run.waitUntilExit()
        #expect(run.terminationStatus == 0)
        let out = try InputFile(dir.path("data.jsonl")).readAll()
        #expect(out == Array(text.utf8))
    }
}
