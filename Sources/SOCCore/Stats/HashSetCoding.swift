/// Writes a set of 64-bit hashes compactly as text for the JSON output, and reads it back:
/// the hashes sorted, each written as its difference from the previous one in LEB128 (7 bits a
/// byte), the bytes in base64 (RFC 4648, with padding). n random 64-bit hashes take about
/// 64 − log2(n) + 1 bits each before base64, so a million ids take ~8 MB of text instead of 21 MB
/// of decimal numbers.
public enum HashSetCoding {
    /// The name written beside the data, so that a reader can refuse another layout.
    public static let encoding = "xxh3_64_sorted_delta_leb128_base64"

    public static func encode<S: Sequence>(_ hashes: S) -> String where S.Element == UInt64 {
        var bytes: [UInt8] = []
        var previous: UInt64 = 0
        for hash in hashes.sorted() {
            var delta = hash &- previous
            previous = hash
            while delta >= 0x80 {
                bytes.append(UInt8(delta & 0x7f) | 0x80)
                delta >>= 7
            }
            bytes.append(UInt8(delta))
        }
        return base64(bytes)
    }

    /// The hashes of `text`, or nil when it is not such an encoding (bad base64, a value past
    /// 64 bits, hashes out of order or repeated).
    public static func decode(_ text: String) -> [UInt64]? {
        guard let bytes = unbase64(text) else { return nil }
        var hashes: [UInt64] = []
        var previous: UInt64 = 0
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            guard shift < 64, shift < 63 || byte & 0x7e == 0 else { return nil }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 != 0 {
                shift += 7
                continue
            }
            // A zero delta after the first hash is a repeat; a sum past 2^64 is out of order.
            let (next, overflow) = previous.addingReportingOverflow(value)
            guard !overflow, hashes.isEmpty || value > 0 else { return nil }
            hashes.append(next)
            previous = next
            value = 0
            shift = 0
        }
        return shift == 0 ? hashes : nil
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var k = 0
        while k < bytes.count {
            let b0 = UInt32(bytes[k])
            let b1 = k + 1 < bytes.count ? UInt32(bytes[k + 1]) : 0
            let b2 = k + 2 < bytes.count ? UInt32(bytes[k + 2]) : 0
            let word = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(word >> 18 & 63)])
            out.append(alphabet[Int(word >> 12 & 63)])
            out.append(k + 1 < bytes.count ? alphabet[Int(word >> 6 & 63)] : UInt8(ascii: "="))
            out.append(k + 2 < bytes.count ? alphabet[Int(word & 63)] : UInt8(ascii: "="))
            k += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unbase64(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var table = [Int8](repeating: -1, count: 256)
        for (k, c) in alphabet.enumerated() { table[Int(c)] = Int8(k) }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var k = 0
        while k < chars.count {
            let last = k + 4 == chars.count
            let pad = last ? (chars[k + 3] == UInt8(ascii: "=") ? (chars[k + 2] == UInt8(ascii: "=") ? 2 : 1) : 0) : 0
            var word: UInt32 = 0
            for j in 0..<4 {
                let c = chars[k + j]
                if j >= 4 - pad {
                    word <<= 6
                    continue
                }
                let v = table[Int(c)]
                guard v >= 0 else { return nil }
                word = word << 6 | UInt32(v)
            }
            out.append(UInt8(word >> 16 & 255))
            if pad < 2 { out.append(UInt8(word >> 8 & 255)) }
            if pad < 1 { out.append(UInt8(word & 255)) }
            k += 4
        }
        return out
    }
}
