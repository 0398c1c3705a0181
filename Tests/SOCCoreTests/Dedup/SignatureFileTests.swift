import Testing

@testable import SOCCore

@Suite struct SignatureFileTests {
    @Test func recordsRoundTrip() throws {
        let signature = (0..<16).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        let entries = [
            SignatureEntry(
                shard: 3, ordinal: 17, file: "part\t3.jsonl", line: 20, id: Array(#""abc""#.utf8),
                fingerprint: RecordFingerprint(
                    keyHash: Key128(high: 1, low: .max), textHash: 0xDEAD_BEEF, signature: signature)),
            SignatureEntry(shard: 0, ordinal: 1, file: "-", line: 1, id: [], fingerprint: RecordFingerprint()),
        ]
        for entry in entries {
            var line: [UInt8] = []
            SignatureFile.appendRecord(entry, to: &line)
            #expect(!line.contains(10))
            let parsed = try line.withUnsafeBytes { try SignatureFile.parseRecord($0, numPerm: 16) }
            #expect(parsed == entry)
        }
    }

    @Test func headerCarriesTheSettingsAndVersion() throws {
        var settings = DedupSettings()
        settings.keys = [try RecordPath("chat_id")]
        let header = SignatureFile.header(shard: 2, settings: settings)
        let fields = try Array(header.utf8).withUnsafeBytes { try SignatureFile.parseHeader($0) }
        #expect(fields["shard"] == "2")
        #expect(fields["num_perm"] == "128")
        #expect(fields["keys"] == "chat_id")
        let future = header.replacingOccurrences(of: "\tv1\t", with: "\tv9\t")
        #expect(throws: SignatureFileError.self) {
            try Array(future.utf8).withUnsafeBytes { try SignatureFile.parseHeader($0) }
        }
    }

    @Test func malformedRecordsAreErrors() {
        for bad in [
            "1\t2\t\"f\"\t3\tnull\t-\t-", "1\tx\t\"f\"\t3\tnull\t-\t-\t-", "1\t2\t\"f\"\t3\tnull\t-\t12\t-",
            "1\t2\t\"f\"\t3\tnull\t-\t-\tabc",
        ] {
            #expect(throws: SignatureFileError.self, "\(bad)") {
                try Array(bad.utf8).withUnsafeBytes { try SignatureFile.parseRecord($0, numPerm: 16) }
            }
        }
    }
}
