import SOCTestSupport
import Testing

@testable import SOCCore

/// Runs `lines` through a fingerprinter and the components grouping.
private func memberships(_ lines: [String], settings: DedupSettings = DedupSettings(), window: Int = 32) throws
    -> [ComponentMembership?]
{
    let fingerprinter = Fingerprinter(settings: settings)
    var grouping = ComponentGrouping(
        threshold: settings.threshold, numPerm: settings.numPerm, parameters: settings.lshParameters,
        near: settings.near, window: window)
    for line in lines { try withDocument(line) { grouping.add(fingerprinter.fingerprint($0)) } }
    return grouping.memberships()
}

@Suite struct ComponentGroupingTests {
    /// A ≈ B and B ≈ C but A ≉ C: greedy keeps C (compared with the kept A only); components
    /// remove it, because B joins it to A's component.
    @Test func aChainIsOneComponent() throws {
        var fixture = ChatGenerator(seed: 3)
        let (a, b, c) = fixture.chain(40)
        let text = { (m: [String]) in m.joined(separator: " ") }
        let ab = jaccard(text(a), text(b))
        let bc = jaccard(text(b), text(c))
        let ac = jaccard(text(a), text(c))
        #expect(ab > 0.85 && bc > 0.84 && ac < 0.78, "\(ab) \(bc) \(ac)")
        let lines = [a, b, c].enumerated().map { ChatFixture.chatLine(id: "r\($0.offset)", messages: $0.element) }

        let greedy = try decisions(lines)
        let components = try memberships(lines)
        guard case .duplicate(.nearDuplicate, of: 0, _) = greedy[1], greedy[2] == .keep(index: 1) else {
            Issue.record("greedy: \(greedy)")
            return
        }
        #expect(components[0] == nil)
        #expect(components[1]?.survivor == 0 && components[1]?.reason == .nearDuplicate)
        #expect(components[2]?.survivor == 0 && components[2]?.reason == .nearDuplicate)
        // C's best verified pair is with B.
        #expect((components[2]?.similarity ?? 0) >= 0.8)
    }

    /// 200 copies of one text are one identity group: all removed as exact text of the first,
    /// whatever the window (no bucket ever holds more than the one representative).
    @Test func identicalTextsAreOneIdentityGroup() throws {
        var fixture = ChatGenerator(seed: 5)
        let text = fixture.messages(10)
        let lines = (0..<200).map { ChatFixture.chatLine(id: "c\($0)", messages: text) }
        let result = try memberships(lines, window: 1)
        #expect(result[0] == nil)
        for k in 1..<200 {
            #expect(result[k] == ComponentMembership(survivor: 0, reason: .exactText, similarity: 1))
        }
    }

    /// A shared key joins records with different texts; both members carry the key reason.
    @Test func keysAreEdgesToo() throws {
        var fixture = ChatGenerator(seed: 6)
        let lines = [
            ChatFixture.chatLine(id: "other", messages: fixture.messages(20)),
            ChatFixture.chatLine(id: "same", messages: fixture.messages(20)),
            ChatFixture.chatLine(id: "same", messages: fixture.messages(20)),
        ]
        var settings = DedupSettings()
        settings.keys = [try RecordPath("chat_id")]
        let result = try memberships(lines, settings: settings)
        #expect(result[0] == nil && result[1] == nil)
        #expect(result[2]?.survivor == 1 && result[2]?.reason == .exactKey)
        #expect((result[2]?.similarity ?? 1) < 0.5)
    }

    /// With window 1 each bucket representative is verified against the one before it only; a
    /// near duplicate is still found through the buckets it shares with its original alone.
    @Test func windowOneStillFindsNearPairs() throws {
        var fixture = ChatGenerator(seed: 7)
        let a = fixture.messages(40)
        let lines = [
            ChatFixture.chatLine(id: "a", messages: a),
            ChatFixture.chatLine(id: "x", messages: fixture.messages(40)),
            ChatFixture.chatLine(id: "a2", messages: fixture.edited(a, fraction: 0.05)),
        ]
        let result = try memberships(lines, window: 1)
        #expect(result[0] == nil && result[1] == nil)
        #expect(result[2]?.survivor == 0 && result[2]?.reason == .nearDuplicate)
    }
}
