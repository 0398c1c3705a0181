/// How `{persona}` compares names: NFC, `ı`/`İ` to `i`, full case folding, NFC again, as UTF-8.
/// Full case folding is taken as lower(upper(lower(c))) per scalar, which agrees with Unicode's
/// CaseFolding.txt on which strings are equal (`ß`, `ẞ` and `SS` all become `ss`, final sigma
/// becomes sigma).
enum PersonaKey {
    /// The key of `text`.
    static func key(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { key(UnsafeRawBufferPointer($0)) }
    }

    /// The key of UTF-8 `bytes`.
    static func key(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        key(bytes, into: &out)
        return out
    }

    /// The key of UTF-8 `bytes`, written over `out` (no allocation for ASCII once it has room).
    static func key(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            // ASCII folds to its lowercase, and NFC leaves it as it is.
            for byte in bytes { out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
            return
        }
        appendFolded(bytes, to: &out)
    }

    /// The key of non-ASCII UTF-8.
    ///
    /// `normalizing: true` always normalizes first (the definition; tests compare the default
    /// against it). Otherwise text whose every scalar is `isNFCStable` is already NFC and is
    /// folded as it is: normalizing cost about 3k instructions per name or candidate, most of
    /// the cost of a new persona's keys (callgrind, real20.jsonl, --threads 1).
    static func folded(_ bytes: UnsafeRawBufferPointer, normalizing: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        appendFolded(bytes, normalizing: normalizing, to: &out)
        return out
    }

    /// Appends the key of UTF-8 `bytes` to `out` (`key(_:into:)` without clearing `out`).
    static func appendKey(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        if JSONSplice.isASCII(bytes) {
            // ASCII folds to its lowercase, and NFC leaves it as it is.
            for byte in bytes { out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
            return
        }
        appendFolded(bytes, to: &out)
    }

    /// Appends `folded(bytes, normalizing:)` to `out` (no array of its own).
    static func appendFolded(_ bytes: UnsafeRawBufferPointer, normalizing: Bool = false, to out: inout [UInt8]) {
        if !normalizing && appendTwoByteFolded(bytes, to: &out) { return }
        let base = out.count
        out.reserveCapacity(base + bytes.count + 4)
        var composeAfter = false
        let table = twoByteFoldTable
        func fold(_ scalar: Unicode.Scalar) {
            if scalar.value < 0x80 {
                let byte = UInt8(scalar.value)
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                return
            }
            if foldsToItself(scalar.value) {
                UTF8.encode(scalar) { out.append($0) }
                return
            }
            if scalar.value < 0x800 {
                let entry = table[Int(scalar.value) - 0x80]
                var packed = entry & 0xFFFF_FFFF
                for _ in 0..<Int(entry >> 48 & 0xFF) {
                    out.append(UInt8(truncatingIfNeeded: packed))
                    packed >>= 8
                }
                if entry >> 56 & 1 != 0 { composeAfter = true }
                return
            }
            if foldScalar(scalar, into: &out) { composeAfter = true }
        }
        // One pass, decoded by hand: ASCII and scalars that are their own key are copied; the
        // first scalar that is not `isNFCStable` sends the text to the normalizing path.
        var stable = !normalizing
        var i = 0
        while stable && i < bytes.count {
            let byte = bytes[i]
            if byte < 0x80 {
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                i += 1
                continue
            }
            let (value, length) = BlankText.decode(bytes, at: i)
            guard isNFCStable(value), let scalar = Unicode.Scalar(value) else {
                stable = false
                break
            }
            if foldsToItself(value) {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + length)]))
            } else {
                fold(scalar)
            }
            i += length
        }
        if !stable {
            out.removeSubrange(base...)
            composeAfter = false
            // Decomposed letters (a stable scalar and one mark) are composed pair by pair.
            let nfc =
                (normalizing ? nil : PairComposition.nfc(bytes))
                ?? Array(String(decoding: bytes, as: UTF8.self)._nfcCodeUnits)
            var k = 0
            while k < nfc.count {
                let (value, length) = nfc.withUnsafeBytes { BlankText.decode($0, at: k) }
                fold(Unicode.Scalar(value) ?? "\u{FFFD}")
                k += length
            }
        }
        if composeAfter {
            let composed = String(decoding: out[base...], as: UTF8.self)._nfcCodeUnits
            out.replaceSubrange(base..., with: composed)
        }
    }

    /// `appendFolded` for text of ASCII and `isNFCStable` scalars below U+0800 whose folds need
    /// no composing (names in Latin, Greek, Cyrillic, Arabic letters), written through a buffer
    /// on the stack and appended once; false, with nothing appended, for any other text. The
    /// general loop appended byte by byte through a closure: about 1.8k instructions per new
    /// persona's non-ASCII name (callgrind, real20.jsonl, --threads 1).
    static func appendTwoByteFolded(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        let n = bytes.count
        guard n > 0 && n <= 512 else { return false }
        // A scalar below U+0800 folds to at most 4 bytes (`twoByteFoldTable`): twice its own.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * n) { buffer in
            let table = twoByteFoldTable
            var w = 0
            var i = 0
            while i < n {
                let b0 = bytes[i]
                if b0 < 0x80 {
                    buffer[w] = b0 >= 0x41 && b0 <= 0x5A ? b0 | 0x20 : b0
                    w += 1
                    i += 1
                    continue
                }
                guard b0 >= 0xC2 && b0 < 0xE0 && i + 1 < n else { return false }
                let value = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                guard isNFCStable(value) else { return false }
                let entry = table[Int(value) - 0x80]
                if entry >> 56 & 1 != 0 { return false }
                var packed = entry & 0xFFFF_FFFF
                for _ in 0..<Int(entry >> 48 & 0xFF) {
                    buffer[w] = UInt8(truncatingIfNeeded: packed)
                    packed >>= 8
                    w += 1
                }
                i += 2
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<w]))
            return true
        }
    }

    /// Appends the folded UTF-8 of one non-ASCII scalar (`ı` and `İ` as `i`, else
    /// lower(upper(lower(c)))); true when the result may need composing again (NFC).
    static func foldScalar(_ scalar: Unicode.Scalar, into out: inout [UInt8]) -> Bool {
        if scalar.value == 0x130 || scalar.value == 0x131 {
            out.append(UInt8(ascii: "i"))
            return false
        }
        // Most letters of a name are already folded (a bit lookup, no mapping strings).
        if !scalar.properties.changesWhenCaseFolded {
            UTF8.encode(scalar) { out.append($0) }
            return scalar.value >= 0x300 && scalar.properties.canonicalCombiningClass != .notReordered
        }
        var composes = false
        for lower in scalar.properties.lowercaseMapping.unicodeScalars {
            for upper in lower.properties.uppercaseMapping.unicodeScalars {
                for folded in upper.properties.lowercaseMapping.unicodeScalars {
                    // Folding can decompose (ǰ folds to j + U+030C): compose again after.
                    if folded.value >= 0x300 && folded.properties.canonicalCombiningClass != .notReordered {
                        composes = true
                    }
                    UTF8.encode(folded) { out.append($0) }
                }
            }
        }
        return composes
    }

    /// Scalars that text can hold and still be NFC whatever surrounds them (within these
    /// ranges): each is its own NFC, has combining class 0, and nothing composes onto it
    /// (no NFC_QC=Maybe starter such as a Hangul jamo or an Indic vowel sign is here). Below
    /// U+0300 (Latin, IPA), Greek and Coptic less its three singletons, Cyrillic less its
    /// combining marks, Arabic letters, Latin Extended Additional (Vietnamese), and the
    /// `foldsToItself` ranges. `PersonaKeyTests` checks each scalar.
    static func isNFCStable(_ value: UInt32) -> Bool {
        switch value {
        case ..<0x300, 0x400...0x482, 0x48A...0x4FF, 0x1E00...0x1EFF: return true
        case 0x370...0x3FF: return value != 0x374 && value != 0x37E && value != 0x387
        default: return foldsToItself(value)
        }
    }

    /// Scalars whose key is themselves (no case mapping, combining class 0): Arabic letters,
    /// hiragana and katakana (not their combining sound marks), CJK ideographs, Hangul
    /// syllables, emoji; they need no Unicode property lookup. `PersonaKeyTests` checks each.
    static func foldsToItself(_ value: UInt32) -> Bool {
        switch value {
        case 0x621...0x64A, 0x3041...0x3096, 0x30A1...0x30FA, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0x1F300...0x1FAFF:
            return true
        default: return false
        }
    }
}
