import Testing

@testable import SOCCore

/// `CandidateKeyCache` gives back exactly the key kept for a candidate, and nothing for
/// another candidate, also one whose print is the same (same length and ends).
@Suite struct CandidateKeyCacheTests {
    static func key(_ cache: CandidateKeyCache, _ candidate: String) -> [UInt8]? {
        Array(candidate.utf8).withUnsafeBytes { bytes in cache.key(bytes, ShortPrint(bytes)).map { Array($0) } }
    }

    static func insert(_ cache: CandidateKeyCache, _ candidate: String) {
        Array(candidate.utf8).withUnsafeBytes { bytes in
            PersonaKey.key(bytes).withUnsafeBytes { cache.insert(bytes, ShortPrint(bytes), key: $0) }
        }
    }

    @Test func keepsKeysOfCandidates() {
        let cache = CandidateKeyCache()
        let candidates = ["ILGIN ŞAHIN", "Ελένη", "Zoe\u{308}", "ß", "Γιώργος Παπαδόπουλος", "Ξ", ""]
        for candidate in candidates { #expect(Self.key(cache, candidate) == nil, "\(candidate)") }
        for candidate in candidates { Self.insert(cache, candidate) }
        for candidate in candidates {
            #expect(Self.key(cache, candidate) == PersonaKey.key(candidate), "\(candidate)")
        }
    }

    @Test func tellsLongCandidatesWithTheSamePrintApart() {
        let cache = CandidateKeyCache()
        let kept = "Γιώργος Παπαδόπουλος"
        Self.insert(cache, kept)
        var other = Array(kept.utf8)
        other[10] ^= 1  // the same length, first and last 8 bytes
        let text = String(decoding: other, as: UTF8.self)
        #expect(Self.key(cache, text) == nil)
        #expect(Self.key(cache, kept) == PersonaKey.key(kept))
    }

    @Test func keepsNoLongCandidate() {
        let cache = CandidateKeyCache()
        let long = String(repeating: "Ελένη ", count: 20)
        Self.insert(cache, long)
        #expect(Self.key(cache, long) == nil)
    }
}
