import SOCTestSupport
import Testing

@testable import SOCCore

/// The LSH keys the one-shot run makes on its worker threads are the ones the ordered index used
/// to make from the signature itself: the same band hashes, the same 16-bit values.
@Suite struct LSHKeysTests {
    static let parameters = DedupSettings().lshParameters

    @Test func keysAreTheBandHashesAndTheLow16BitsOfTheSignature() throws {
        var fixture = ChatGenerator(seed: 11)
        let signature = MinHasher(numPerm: 128).signature(of: fixture.messages(30).joined(separator: " "), ngram: 5)!
        let keys = LSHKeys(signature: signature, parameters: Self.parameters)
        #expect(Self.parameters.bands == 14 && Self.parameters.rows == 9)
        #expect(keys.bandHashes.count == 14)
        for band in 0..<14 {
            #expect(keys.bandHashes[band] == LSHIndex.bandHash(signature, band: band, rows: 9))
        }
        #expect(keys.values == signature.map { UInt16(truncatingIfNeeded: $0) })
        // Without bands (`--no-near`) only the values are made.
        let unbanded = LSHKeys(signature: signature, parameters: nil)
        #expect(unbanded.bandHashes.isEmpty && unbanded.values == keys.values)
    }

    @Test func theWorkerClaimCarriesTheRecordTheIndexWouldMake() throws {
        var fixture = ChatGenerator(seed: 12)
        var settings = DedupSettings()
        settings.keys = [try RecordPath("chat_id")]
        for near in [true, false] {
            settings.near = near
            let worker = FingerprintStage(
                settings: settings, wantsID: true, wantsLineHash: false, indexParameters: Self.parameters)
            let fingerprinter = Fingerprinter(settings: settings)
            let lines = [
                ChatFixture.chatLine(id: "a", messages: fixture.messages(20)),
                ChatFixture.chatLine(id: "b", messages: ["hi"]),
                #"{"chat_id":"c","chat_parts":[]}"#,
            ]
            for line in lines {
                try withDocument(line) { document in
                    guard case .keep(let claim?) = worker.process(document, at: RecordLocation(file: "-", line: 1)),
                        let claim = claim as? IndexedClaim
                    else {
                        Issue.record("no claim for \(line)")
                        return
                    }
                    let fingerprint = fingerprinter.fingerprint(document)
                    #expect(claim.indexed == IndexedRecord(fingerprint, parameters: Self.parameters, near: near))
                    #expect(claim.indexed.keyHash == fingerprint.keyHash)
                    #expect(claim.indexed.textHash == fingerprint.textHash)
                    if fingerprint.signature.isEmpty {
                        #expect(claim.indexed.keys == nil)
                    } else {
                        #expect(claim.indexed.keys?.bandHashes.count == (near ? 14 : 0))
                    }
                    #expect(claim.id == fingerprinter.id(document))
                }
            }
        }
    }

    @Test func decisionsFromWorkerKeysEqualDecisionsFromSignatures() throws {
        // The same records decided by an index fed fingerprints (as `cluster` does) and by one
        // fed the claims' records (as the one-shot run does).
        var fixture = ChatGenerator(seed: 13)
        let base = fixture.messages(40)
        var lines: [String] = []
        for k in 0..<60 {
            let messages = k % 3 == 0 ? fixture.messages(40) : fixture.edited(base, fraction: Double(k % 7) * 0.04)
            lines.append(ChatFixture.chatLine(id: "r\(k % 50)", messages: messages))
        }
        var settings = DedupSettings()
        settings.keys = [try RecordPath("chat_id")]
        let worker = FingerprintStage(
            settings: settings, wantsID: false, wantsLineHash: false, indexParameters: Self.parameters)
        let fingerprinter = Fingerprinter(settings: settings)
        var byFingerprint = DuplicateIndex(threshold: 0.8, numPerm: 128, parameters: Self.parameters)
        var byClaim = DuplicateIndex(threshold: 0.8, numPerm: 128, parameters: Self.parameters)
        var removed = 0
        for line in lines {
            try withDocument(line) { document in
                let expected = byFingerprint.decide(fingerprinter.fingerprint(document))
                guard case .keep(let claim?) = worker.process(document, at: RecordLocation(file: "-", line: 1)),
                    let record = (claim as? IndexedClaim)?.indexed
                else {
                    Issue.record("no claim")
                    return
                }
                let actual = byClaim.decide(record)
                #expect(actual == expected)
                if case .duplicate = expected { removed += 1 }
            }
        }
        // Exact-key, exact-text and near duplicates were all among them.
        #expect(removed > 20)
        #expect(byClaim.bytesHeld == byFingerprint.bytesHeld)
    }
}
