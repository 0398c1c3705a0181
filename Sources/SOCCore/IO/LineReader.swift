#if canImport(Glibc)
    import Glibc
#endif

/// One line of input, without its `\n` (or `\r\n`) ending.
///
/// `bytes` points into the reader's buffer and is valid only until the reader is asked for the
/// next line: a stage that needs the bytes later must copy them.
public struct Line {
    /// The line's bytes. For an overlong line: its bytes when they happened to be buffered whole,
    /// or an empty buffer when they were streamed past through `LineReader.overlongChunk`.
    public let bytes: UnsafeRawBufferPointer
    /// 1-based line number within its input file.
    public let number: Int
    /// For a line longer than the limit: its length in bytes; it was skipped, not buffered.
    public let overlongLength: Int?
}

/// Splits a byte stream into lines, in large buffers found with `memchr`.
///
/// Memory stays bounded: the buffer grows only up to the line limit; a longer line is
/// skipped as it streams past and reported as overlong.
public final class LineReader {
    private let source: ByteSource
    private let maxLineBytes: Int
    /// The bytes being scanned: `owned` (filled by read(2)), or a window of `mapped`.
    private var buffer: UnsafeRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var atEOF = false
    private var lineNumber = 0
    /// The read buffer (read(2) mode).
    private var owned: UnsafeMutableRawPointer?
    /// The file when it is read through mmap(2) windows, the window `buffer` points into, and
    /// that window's offset in the file.
    private let mapped: MappedFile?
    private var window: MappedWindow?
    private var windowOffset = 0

    /// - Parameters:
    ///   - source: where the bytes come from; a `MappedFile` is read through mmap(2) windows.
    ///   - maxLineBytes: lines longer than this are skipped and reported, never held in memory.
    public init(source: ByteSource, maxLineBytes: Int) {
        self.source = source
        self.maxLineBytes = max(1, maxLineBytes)
        if let file = source as? MappedFile {
            mapped = file
            owned = nil
            capacity = 0
            buffer = UnsafeRawPointer(bitPattern: 64)!  // no bytes until the first window
        } else {
            mapped = nil
            capacity = min(4 << 20, self.maxLineBytes + 1)
            capacity = max(capacity, 64 << 10)
            let read = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
            owned = read
            buffer = UnsafeRawPointer(read)
        }
    }

    deinit { owned?.deallocate() }

    /// Receives the bytes of an overlong line that does not fit the buffer, chunk by chunk, as it
    /// is skipped (so `--rejects` gets it verbatim without the line ever being held whole).
    public var overlongChunk: ((UnsafeRawBufferPointer) -> Void)?

    /// Bytes of the underlying file read so far (for progress).
    public var bytesConsumed: Int { source.bytesConsumed }

    /// True when the input began with a UTF-8 byte order mark (EF BB BF), which was skipped:
    /// JSON text must not start with one (RFC 8259), but editors on Windows write it.
    public private(set) var skippedByteOrderMark = false
    private var byteOrderMarkChecked = false

    /// Reads the start of the input (if not read yet) and tells whether it began with a byte
    /// order mark, so a caller can say so before the first line.
    public func checkByteOrderMark() throws(InputError) -> Bool {
        while !byteOrderMarkChecked { try fill() }
        return skippedByteOrderMark
    }

    /// Called once before an overlong line that does not fit the buffer is streamed through
    /// `overlongChunk` (the runner first lets the lines before it be written).
    public var willStreamOverlongLine: (() -> Void)?

    /// What the scan found next.
    private enum Scan {
        /// A complete line from `start` to `end` (its `\n` excluded; `\r` still in).
        case line(end: Int, hasNewline: Bool)
        /// A line longer than the buffer may hold: it must be streamed past.
        case overlongAhead
        case endOfInput
    }

    /// The one read loop: finds the next line in the buffer, reading more as needed; consumes nothing.
    private func scan() throws(InputError) -> Scan {
        while true {
            if let newline = findNewline() { return .line(end: newline, hasNewline: true) }
            if atEOF { return start < end ? .line(end: end, hasNewline: false) : .endOfInput }
            if end - start > maxLineBytes + 1 { return .overlongAhead }
            try fill()
        }
    }

    /// Consumes the line `scan` found and returns it (its bytes valid until the next scan).
    private func take(_ lineEnd: Int, hasNewline: Bool) -> Line {
        let line = takeLine(upTo: lineEnd)
        start = hasNewline ? lineEnd + 1 : lineEnd
        scanned = start
        return line
    }

    /// Streams the overlong line ahead past and returns its marker.
    private func streamOverlongLine() throws(InputError) -> Line {
        willStreamOverlongLine?()
        lineNumber += 1
        return Line(
            bytes: UnsafeRawBufferPointer(start: nil, count: 0), number: lineNumber,
            overlongLength: try skipOverlongLine())
    }

    /// Returns the next line, or nil at the end of the input. Its bytes are valid until the next call.
    public func next() throws(InputError) -> Line? {
        switch try scan() {
        case .line(let lineEnd, let hasNewline): return take(lineEnd, hasNewline: hasNewline)
        case .overlongAhead: return try streamOverlongLine()
        case .endOfInput: return nil
        }
    }

    /// Fills `batch` (emptied first) with the next lines, copied, cut by `limits` and the input
    /// alone: a batch ends after `limits.lines` lines, or before a line that would take it past
    /// `limits.bytes` (a longer line alone gets a batch of its own), and a line over
    /// `maxLineBytes` is always alone in its batch. Returns false at the end of the input (the
    /// batch is then empty).
    public func nextBatch(into batch: LineBatch, limits: BatchLimits) throws(InputError) -> Bool {
        batch.reset()
        while true {
            switch try scan() {
            case .endOfInput:
                return !batch.isEmpty
            case .overlongAhead:
                if !batch.isEmpty { return true }
                let line = try streamOverlongLine()
                batch.append(
                    line.bytes, number: line.number, counted: line.overlongLength ?? 0,
                    overlongLength: line.overlongLength)
                return true
            case .line(let lineEnd, let hasNewline):
                let counted = lineEnd - start + (hasNewline ? 1 : 0)
                let isOverlong = lineContentLength(upTo: lineEnd) > maxLineBytes
                if !batch.isEmpty && (isOverlong || batch.countedBytes + counted > limits.bytes) { return true }
                let lineStart = start
                let line = take(lineEnd, hasNewline: hasNewline)
                if let window, hasNewline, line.overlongLength == nil, line.bytes.count == lineEnd - lineStart {
                    // Its own `\n` follows it in the mapped window: no copy.
                    batch.appendInPlace(line.bytes, owner: window, number: line.number, counted: counted)
                } else {
                    batch.append(line.bytes, number: line.number, counted: counted, overlongLength: line.overlongLength)
                }
                if isOverlong || batch.count >= limits.lines || batch.countedBytes >= limits.bytes { return true }
            }
        }
    }

    /// The length of the line from `start` to `lineEnd` without a `\r` before it.
    private func lineContentLength(upTo lineEnd: Int) -> Int {
        var contentEnd = lineEnd
        if contentEnd > start && buffer.load(fromByteOffset: contentEnd - 1, as: UInt8.self) == 13 { contentEnd -= 1 }
        return contentEnd - start
    }

    /// The line from `start` to `lineEnd` (a `\r` before it dropped), or its overlong marker.
    private func takeLine(upTo lineEnd: Int) -> Line {
        lineNumber += 1
        let length = lineContentLength(upTo: lineEnd)
        let bytes = UnsafeRawBufferPointer(start: buffer + start, count: length)
        if bytes.count > maxLineBytes {
            return Line(bytes: bytes, number: lineNumber, overlongLength: bytes.count)
        }
        return Line(bytes: bytes, number: lineNumber, overlongLength: nil)
    }

    private func findNewline() -> Int? {
        guard scanned < end else { return nil }
        if let hit = memchr(buffer + scanned, 10, end - scanned) {
            return buffer.distance(to: UnsafeRawPointer(hit))
        }
        scanned = end
        return nil
    }

    /// Makes room (moving the partial line to the front, growing up to the limit) and reads more.
    private func fill() throws(InputError) {
        if let mapped { return try mapNextWindow(of: mapped) }
        var buffer = owned!
        if start > 0 {
            let pending = end - start
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            scanned -= start
            end = pending
            start = 0
        }
        if end == capacity {
            let newCapacity = min(capacity * 2, maxLineBytes + 2)
            if newCapacity > capacity {
                let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
                grown.copyMemory(from: buffer, byteCount: end)
                buffer.deallocate()
                buffer = grown
                owned = grown
                self.buffer = UnsafeRawPointer(grown)
                capacity = newCapacity
            }
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 { atEOF = true }
        end += n
        checkByteOrderMarkAtStart()
    }

    /// Once the first three bytes are in (or the input ended before), skips a byte order mark
    /// there. Nothing was handed out yet: they are still at the buffer's start.
    private func checkByteOrderMarkAtStart() {
        guard !byteOrderMarkChecked && (end >= 3 || atEOF) else { return }
        byteOrderMarkChecked = true
        if end >= 3 && buffer.load(fromByteOffset: 0, as: UInt8.self) == 0xEF
            && buffer.load(fromByteOffset: 1, as: UInt8.self) == 0xBB
            && buffer.load(fromByteOffset: 2, as: UInt8.self) == 0xBF
        {
            start = 3
            scanned = 3
            skippedByteOrderMark = true
        }
    }

    /// Maps the next window of the file, from the start of the line not yet complete (so a line
    /// never spans two windows): `windowBytes`, or twice the pending line when that is
    /// longer, up to the end of the file.
    private func mapNextWindow(of file: MappedFile) throws(InputError) {
        let from = windowOffset + start
        let pending = end - start
        let length = min(file.size - from, max(file.windowBytes, 2 * pending + 1))
        if length <= pending {
            atEOF = true
            checkByteOrderMarkAtStart()
            return
        }
        let next = try file.window(at: from, length: length)
        window = next
        buffer = next.bytes
        scanned -= start
        windowOffset = from
        start = 0
        end = length
        capacity = length
        atEOF = from + length >= file.size
        checkByteOrderMarkAtStart()
    }

    /// Discards bytes up to and including the next newline; returns the skipped line's length
    /// (without a `\r` before the newline, as `takeLine` counts). A `\r` that ends one read is
    /// held back until the next byte shows whether it ends the line, so a `\r\n` split across two
    /// reads neither reaches `overlongChunk` nor counts.
    private func skipOverlongLine() throws(InputError) -> Int {
        var length = 0
        var heldCR = false
        func pass(_ chunk: UnsafeRawBufferPointer) {
            guard !chunk.isEmpty else { return }
            if heldCR {
                withUnsafeBytes(of: UInt8(13)) { overlongChunk?($0) }
                length += 1
                heldCR = false
            }
            var count = chunk.count
            if chunk[count - 1] == 13 {
                count -= 1
                heldCR = true
            }
            overlongChunk?(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            length += count
        }
        pass(UnsafeRawBufferPointer(start: buffer + start, count: end - start))
        while true {
            let n = try nextBytes()
            start = 0
            end = n
            scanned = 0
            if n == 0 {
                atEOF = true
                return length
            }
            if let hit = memchr(buffer, 10, n) {
                let offset = buffer.distance(to: UnsafeRawPointer(hit))
                pass(UnsafeRawBufferPointer(start: buffer, count: offset))
                start = offset + 1
                scanned = start
                return length
            }
            pass(UnsafeRawBufferPointer(start: buffer, count: n))
        }
    }

    /// While an overlong line streams past: puts the input's next bytes at the buffer's start (all
    /// the bytes before were passed on) and returns their count, 0 at the end of the input.
    private func nextBytes() throws(InputError) -> Int {
        guard let mapped else {
            return try source.read(into: UnsafeMutableRawBufferPointer(start: owned!, count: capacity))
        }
        let from = windowOffset + end
        let length = min(mapped.size - from, mapped.windowBytes)
        guard length > 0 else { return 0 }
        let next = try mapped.window(at: from, length: length)
        window = next
        buffer = next.bytes
        windowOffset = from
        capacity = length
        atEOF = from + length >= mapped.size
        return length
    }
}
