/// What one call of a `StreamEncoder` did.
struct EncodeStep {
    /// Input bytes taken.
    var consumed: Int
    /// Compressed bytes made.
    var produced: Int
    /// The stream is complete (only when finishing).
    var ended: Bool
}

/// One compression format's encoder: what differs between formats. The loop they share is
/// `OutputEncoder`'s. Failures are messages such as "gzip compression failed (zlib status -2)".
protocol StreamEncoder: AnyObject {
    /// Compresses from `input` into `output`; `finish`: no input follows, end the stream.
    func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> EncodeStep
}

/// Compresses an output file whose name asks for it (`.gz`, `.zst`, `.bz2`, `.xz`).
///
/// Deterministic by construction: each format has one fixed level (the command-line tool's
/// default), no file name or time goes into a header, compression runs on the writing thread
/// alone (never tied to `--threads`), and `OutputSink` feeds it in fixed 1 MiB pieces whatever
/// the timing of its writes, so the same bytes in give the same compressed bytes out.
final class OutputEncoder {
    private let encoder: StreamEncoder
    private let target: String
    /// The scratch buffer the encoder compresses into before the bytes go to `emit`.
    private let out: UnsafeMutableRawBufferPointer

    init(_ encoder: StreamEncoder, target: String) {
        self.encoder = encoder
        self.target = target
        out = .allocate(byteCount: 1 << 18, alignment: 16)
    }

    deinit { out.deallocate() }

    /// Compresses `input` (all of it); with `finish`, ends the stream. Compressed bytes go to
    /// `emit` as they are made.
    func encode(
        _ input: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws(OutputError) -> Void
    ) throws(OutputError) {
        var rest = input
        while true {
            let step: EncodeStep
            do throws(CodecFailure) {
                step = try encoder.encode(rest, into: out, finish: finish)
            } catch {
                throw .failed(target: target, message: error.message)
            }
            rest = UnsafeRawBufferPointer(rebasing: rest[step.consumed...])
            if step.produced > 0 { try emit(UnsafeRawBufferPointer(rebasing: out[0..<step.produced])) }
            // Not finishing: done once the input is taken and the library had room to spare.
            if finish ? step.ended : (rest.isEmpty && step.produced < out.count) { return }
        }
    }
}

extension InputFormat {
    /// An encoder for this format, or nil for plain text. `target` names the file in messages.
    func makeEncoder(target: String) throws(OutputError) -> OutputEncoder? {
        let encoder: StreamEncoder
        do throws(CodecFailure) {
            switch self {
            case .plain: return nil
            case .gzip: encoder = try GzipEncoder()
            case .zstd: encoder = try ZstdEncoder()
            case .bzip2: encoder = try Bzip2Encoder()
            case .xz: encoder = try XzEncoder()
            }
        } catch {
            throw .failed(target: target, message: error.message)
        }
        return OutputEncoder(encoder, target: target)
    }
}
