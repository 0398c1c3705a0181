/// What one call of a `StreamDecoder` did.
struct DecodeStep {
    /// Input bytes taken.
    var consumed: Int
    /// Output bytes made.
    var produced: Int
    /// A stream ended with this call (a gzip member, a zstd frame, a bzip2 stream; for xz, which
    /// reads concatenated streams itself, the whole input).
    var ended: Bool
}

/// Why a decoder or an encoder cannot go on: the whole message, e.g. "gzip data is corrupt:
/// invalid block type".
struct CodecFailure: Error {
    var message: String
}

/// One compression format's decoder: what differs between formats. The loop they share
/// (reading the compressed input, checking its first bytes, concatenated streams, a truncated
/// or empty input) is `DecompressingSource`'s.
protocol StreamDecoder: AnyObject {
    /// The format's name in messages ("gzip").
    static var format: String { get }
    /// Bytes of compressed input read at a time.
    static var inputBytes: Int { get }
    /// Whether the first bytes of the input (those of the first read) can begin this format;
    /// checked before the library sees them, as the format's own tool (`gzip -t`) does.
    static func accepts(_ head: UnsafeRawBufferPointer) -> Bool
    /// Decodes from `input` into `output`; `finish`: no input follows `input`.
    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> DecodeStep
    /// Gets ready for the next stream after one ended (concatenated input such as `cat a.gz b.gz`).
    func restart() throws(CodecFailure)
    /// Frees the library's state.
    func end()
}

extension StreamDecoder {
    static var inputBytes: Int { 1 << 20 }
}

/// Decompresses what `inner` gives with `Decoder`: one or several concatenated streams, read as
/// one. An empty input is not an empty stream, input that does not begin like the format is
/// refused, and an input that ends inside a stream is truncated (as the format's `-t` says).
final class DecompressingSource<Decoder: StreamDecoder>: ByteSource {
    private let inner: ByteSource
    private let name: String
    private let decoder: Decoder
    private let input: UnsafeMutableRawBufferPointer
    /// The compressed bytes read and not yet taken by the decoder.
    private var pending = 0..<0
    private var sawInput = false
    private var inputEnded = false
    /// A stream has begun and not ended.
    private var streamOpen = false
    /// A stream ended: the decoder must restart before more input.
    private var streamEnded = false
    private var atEnd = false

    init(inner: ByteSource, name: String, decoder: Decoder) {
        self.inner = inner
        self.name = name
        self.decoder = decoder
        input = .allocate(byteCount: Decoder.inputBytes, alignment: 16)
    }

    var bytesConsumed: Int { inner.bytesConsumed }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while !atEnd {
            if pending.isEmpty && !inputEnded { try refill() }
            if streamEnded {
                // What follows a stream's end is another stream, or the end of the input.
                if pending.isEmpty {
                    atEnd = inputEnded
                    continue
                }
                do throws(CodecFailure) { try decoder.restart() } catch { throw failure(error.message) }
                streamEnded = false
            }
            let step: DecodeStep
            do throws(CodecFailure) {
                step = try decoder.decode(
                    UnsafeRawBufferPointer(rebasing: input[pending]), into: buffer, finish: inputEnded)
            } catch {
                throw failure(error.message)
            }
            pending = (pending.lowerBound + step.consumed)..<pending.upperBound
            if step.ended {
                streamOpen = false
                streamEnded = true
            } else if step.consumed > 0 || step.produced > 0 {
                streamOpen = true
            }
            if step.produced > 0 { return step.produced }
            if step.ended || step.consumed > 0 { continue }
            // No progress: the decoder wants input that is not there.
            if !pending.isEmpty { throw failure("\(Decoder.format) data is corrupt (the decoder stalled)") }
            if inputEnded {
                if streamOpen { throw failure("\(Decoder.format) stream is truncated") }
                atEnd = true
            }
        }
        return 0
    }

    private func failure(_ message: String) -> InputError {
        InputError(input: name, message: message)
    }

    /// Reads the next compressed bytes; checks the first ones.
    private func refill() throws(InputError) {
        let n = try inner.read(into: input)
        pending = 0..<n
        if n == 0 {
            // A name that promises the format promises a stream: an empty file is none (`-t` agrees).
            if !sawInput { throw failure("not in \(Decoder.format) format: the file is empty") }
            inputEnded = true
            return
        }
        if !sawInput {
            sawInput = true
            guard Decoder.accepts(UnsafeRawBufferPointer(rebasing: input[0..<n])) else {
                throw failure("not in \(Decoder.format) format")
            }
        }
    }

    func close() {
        decoder.end()
        input.deallocate()
        inner.close()
    }
}
