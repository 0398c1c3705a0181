import SOCCore

/// Hands out the fuzz bytes in reads of varying sizes (1 byte to everything at once).
final class FuzzSource: ByteSource {
    let bytes: [UInt8]
    let sizes: [Int]
    var position = 0
    var reads = 0
    init(_ bytes: [UInt8], sizes: [Int]) {
        self.bytes = bytes
        self.sizes = sizes.isEmpty ? [Int.max] : sizes
    }
    var bytesConsumed: Int { position }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let want = sizes[reads % sizes.count]
        reads += 1
        let n = min(want, buffer.count, bytes.count - position)
        if n > 0 {
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        }
        position += n
        return n
    }
    func close() {}
}

/// The line reader over any bytes, read sizes and line limit: each line comes back in order with
/// its number, without its `\n` and one `\r` before it; a line over the limit is reported with
/// its length, and its bytes (held or streamed to `overlongChunk`) are the line's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let limit = Int(input.byte()) * 4 + Int(input.byte() % 4) + 1
    let batched = input.byte() & 1 == 1
    var sizes: [Int] = []
    for _ in 0..<Int(input.byte() % 4) { sizes.append(Int(input.byte()) * 97 % 70_001 + 1) }
    let text = input.rest
    // Some inputs are stretched so that lines cross the reader's 64 KiB minimum buffer.
    var bytes = text
    if let first = text.first, first == UInt8(ascii: "L") {
        bytes = Array(repeating: UInt8(ascii: "x"), count: 66_000) + text
    }

    var expected: [[UInt8]] = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
    if bytes.last == 10 || bytes.isEmpty { expected.removeLast() }
    expected = expected.map { $0.last == 13 ? Array($0.dropLast()) : $0 }

    let reader = LineReader(source: FuzzSource(bytes, sizes: sizes), maxLineBytes: limit)
    var streamed: [UInt8] = []
    reader.overlongChunk = { streamed.append(contentsOf: $0) }
    var got = 0
    func check(_ line: Line) {
        fuzzCheck(got < expected.count, "more lines than the input has")
        let want = expected[got]
        got += 1
        fuzzCheck(line.number == got, "line number \(line.number), expected \(got)")
        if let length = line.overlongLength {
            fuzzCheck(want.count > limit, "line of \(want.count) bytes reported overlong at limit \(limit)")
            let held = line.bytes.count > 0 ? Array(line.bytes) : streamed
            fuzzCheck(length == want.count, "overlong length \(length), expected \(want.count)")
            fuzzCheck(held == want, "overlong line bytes differ")
        } else {
            fuzzCheck(want.count <= limit, "line of \(want.count) bytes not reported overlong at limit \(limit)")
            fuzzCheck(Array(line.bytes) == want, "line \(got) bytes differ")
        }
        streamed.removeAll()
    }
    do {
        if batched {
            // Batches cut by line count and bytes as the fuzz input says.
            let limits = BatchLimits(lines: Int(limit % 7) + 1, bytes: limit * 3 + 1)
            let batch = LineBatch()
            while try reader.nextBatch(into: batch, limits: limits) {
                for k in 0..<batch.count { check(batch[k]) }
            }
        } else {
            while let line = try reader.next() { check(line) }
        }
    } catch {
        fuzzCheck(false, "in-memory source failed: \(error)")
    }
    fuzzCheck(got == expected.count, "\(got) lines read, input has \(expected.count)")
    return 0
}
