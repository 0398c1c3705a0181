#if canImport(Glibc)
    import Glibc
#endif

/// NFC of a name written decomposed (`e` + U+0301 for `é`, as some of the data is), without
/// normalizing the whole text: text whose scalars are each `PersonaKey.isNFCStable`, or a
/// single other scalar right after one, is cut before each stable scalar (a starter nothing
/// composes onto: normalization never reaches across it), so its NFC is the NFC of each
/// stable scalar with the one after it. Each such pair is normalized once per run and kept.
///
/// Hand-written because the standard library's only NFC (`_nfcCodeUnits`) builds strings:
/// about 8k instructions per decomposed name, 5M of scrub's 427M on real20.jsonl (callgrind,
/// --threads 1). `PersonaKeyCompositionTests` compares it with `_nfcCodeUnits`.
enum PairComposition {
    private static let pairs = PairTable()

    /// The NFC of `bytes`, or nil when they are not valid UTF-8 of that form (the caller
    /// normalizes the whole text then).
    static func nfc(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let n = bytes.count
        var copied = 0
        var i = 0
        while i < n {
            guard let (value, length) = scalar(bytes, at: i), PersonaKey.isNFCStable(value) else { return nil }
            let next = i + length
            guard next < n, let (other, otherLength) = scalar(bytes, at: next) else {
                i = next
                continue
            }
            if PersonaKey.isNFCStable(other) {
                i = next
                continue
            }
            // A pair: what follows it must be stable too (checked as the next base).
            let end = next + otherLength
            if i > copied { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<i])) }
            let pair = UnsafeRawBufferPointer(rebasing: bytes[i..<end])
            pairs.append(pair, key: UInt64(value) << 32 | UInt64(other), to: &out)
            copied = end
            i = end
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<n]))
        return out
    }

    /// The scalar at `i` and its length when `bytes` holds a well-formed UTF-8 sequence there
    /// (no overlong form, surrogate or value above U+10FFFF), else nil.
    static func scalar(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (UInt32, Int)? {
        let n = bytes.count
        let b0 = bytes[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> UInt32? {
            guard i + k < n, bytes[i + k] >= low, bytes[i + k] <= high else { return nil }
            return UInt32(bytes[i + k] & 0x3F)
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return nil }
            return (UInt32(b0 & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard let c1 = continuation(1, low, high), let c2 = continuation(2) else { return nil }
            return (UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2, 3)
        case 0xF0...0xF4:
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard let c1 = continuation(1, low, high), let c2 = continuation(2), let c3 = continuation(3) else {
                return nil
            }
            return (UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
        default: return nil
        }
    }
}

/// The NFC of each pair seen so far, by its two scalars; shared by every thread (a pair's NFC
/// depends on nothing else), bounded.
private final class PairTable: @unchecked Sendable {
    private var composed: [UInt64: [UInt8]] = [:]
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
    }

    /// Appends the NFC of `pair` (whose two scalars make `key`) to `out`.
    func append(_ pair: UnsafeRawBufferPointer, key: UInt64, to out: inout [UInt8]) {
        pthread_mutex_lock(mutex)
        let found = composed[key]
        pthread_mutex_unlock(mutex)
        if let found {
            out.append(contentsOf: found)
            return
        }
        let made = Array(String(decoding: pair, as: UTF8.self)._nfcCodeUnits)
        pthread_mutex_lock(mutex)
        if composed.count < 65_536 { composed[key] = made }
        pthread_mutex_unlock(mutex)
        out.append(contentsOf: made)
    }
}
