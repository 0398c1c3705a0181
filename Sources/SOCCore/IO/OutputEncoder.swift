/// Compresses an output file whose name asks for it (`.gz`, `.zst`, `.bz2`, `.xz`).
///
/// Deterministic by construction: each format has one fixed level (the command-line tool's
/// default), no file name or time goes into a header, compression runs on the writing thread
/// alone (never tied to `--threads`), and `OutputSink` feeds it in fixed 1 MiB pieces whatever
/// the timing of its writes, so the same bytes in give the same compressed bytes out.
protocol OutputEncoder: AnyObject {
    /// Compresses `input` (all of it); with `finish`, ends the stream. Compressed bytes go to
    /// `emit` as they are made.
    func encode(
        _ input: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws(OutputError) -> Void
    ) throws(OutputError)
}

extension InputFormat {
    /// An encoder for this format, or nil for plain text. `target` names the file in messages.
    func makeEncoder(target: String) throws(OutputError) -> OutputEncoder? {
        switch self {
        case .plain: return nil
        case .gzip: return try GzipEncoder(target: target)
        case .zstd: return try ZstdEncoder(target: target)
        case .bzip2: return try Bzip2Encoder(target: target)
        case .xz: return try XzEncoder(target: target)
        }
    }
}

/// The scratch buffer every encoder compresses into before handing bytes to `emit`.
let encoderChunkBytes = 1 << 18
