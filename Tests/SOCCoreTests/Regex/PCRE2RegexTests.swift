import Testing

@testable import SOCCore

@Suite struct PCRE2RegexTests {
    func ranges(_ regex: PCRE2Regex, _ text: String) -> [String] {
        var text = text
        return text.withUTF8 { buffer in
            try! regex.allMatches(in: UnsafeRawBufferPointer(buffer)).map { match in
                String(
                    decoding: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[match.range]),
                    as: UTF8.self)
            }
        }
    }

    @Test func caselessMatchingIsUnicodeAware() throws {
        let regex = try PCRE2Regex("élodie", options: .caseless)
        #expect(try regex.matches("Hi ÉLODIE!"))
        #expect(try !regex.matches("Hi Elodie!"))
    }

    @Test func allMatchesReturnsByteRangesAndGroups() throws {
        let regex = try PCRE2Regex("(\\w+)=(\\d+)?")
        #expect(ranges(regex, "a=1 zoë= b=22") == ["a=1", "zoë=", "b=22"])
        var text = "zoë="
        let groups = text.withUTF8 { try! regex.firstMatch(in: UnsafeRawBufferPointer($0))!.groups }
        #expect(groups.count == 3)
        #expect(groups[1] == 0..<4)
        #expect(groups[2] == nil)
    }

    @Test func emptyMatchesAdvanceByWholeCharacters() throws {
        let regex = try PCRE2Regex("x*")
        // Like Python's re.findall("x*", "éxé"): never a match boundary inside "é".
        #expect(ranges(regex, "éxé") == ["", "x", "", ""])
    }

    @Test func badPatternReportsMessageAndOffset() {
        #expect(throws: PCRE2Regex.CompileError.self) { try PCRE2Regex("ab(c") }
        do {
            _ = try PCRE2Regex("ab(c")
        } catch {
            #expect(error.offset == 4)
            #expect(error.message.contains("missing closing parenthesis"))
        }
    }

    @Test func emptySubject() throws {
        #expect(try PCRE2Regex("^$").matches(""))
        #expect(try !PCRE2Regex("a").matches(""))
    }

    @Test func requiredBytesAreNonLetterLiteralsEveryMatchHas() throws {
        #expect(try PCRE2Regex("(?m)^\\s*(?:ab|cd)\\s*:\\s").requiredBytes == [UInt8(ascii: ":")])
        #expect(try PCRE2Regex("<(image|gif)>.*?</\\1>").requiredBytes == [UInt8(ascii: "<"), UInt8(ascii: ">")])
        // Letters are left out: caseless matching can match another case (or the Kelvin sign).
        #expect(try PCRE2Regex("k", options: .caseless).requiredBytes.isEmpty)
        #expect(try PCRE2Regex("a|b").requiredBytes.isEmpty)
    }
}

/// Matches PCRE2 cannot finish, callouts, and match limits.
@Suite struct PCRE2RegexLimitTests {
    @Test func aMatchThatCannotFinishThrowsInsteadOfSayingNo() throws {
        let regex = try PCRE2Regex("(x+x+)+y")
        let subject = String(repeating: "x", count: 40) + "!y"
        #expect(throws: PCRE2Regex.MatchError.self) { try regex.matches(subject) }
        do {
            _ = try regex.matches(subject)
        } catch {
            #expect(error.code == -47)  // PCRE2_ERROR_MATCHLIMIT
            #expect(error.message == "match limit exceeded")
        }
        // Without JIT the interpreter hits the same limit.
        let interpreted = try PCRE2Regex("(x+x+)+y", jit: false)
        #expect(throws: PCRE2Regex.MatchError.self) { try interpreted.matches(subject) }
        #expect(try regex.matches("xxy"))
        #expect(try !regex.matches("xx"))
    }

    @Test func aLowerMatchLimitIsHonoured() throws {
        let regex = try PCRE2Regex("a.*?b", jit: false)
        regex.matchLimit = 10
        #expect(throws: PCRE2Regex.MatchError.self) {
            try regex.matches("a" + String(repeating: "c", count: 100) + "b")
        }
        regex.matchLimit = 10_000
        #expect(try regex.matches("a" + String(repeating: "c", count: 100) + "b"))
    }

    @Test func calloutsCanRejectAMatchAndPCRE2Backtracks() throws {
        let regex = try PCRE2Regex("(?<w>\\w+)(?C1)!")
        let group = try #require(regex.groupNumber(named: "w"))
        // Accept only the word "no" followed by "!": PCRE2 tries the other words.
        regex.callout = { callout in
            guard let range = callout.group(group) else { return false }
            return Array(callout.subject[range]) == Array("no".utf8)
        }
        var text = "yes! no!"
        let found = try text.withUTF8 { try regex.firstMatchRange(in: UnsafeRawBufferPointer($0)) }
        #expect(found == 5..<8)
        regex.callout = nil
        #expect(try text.withUTF8 { try regex.firstMatchRange(in: UnsafeRawBufferPointer($0)) } == 0..<4)
        #expect(regex.groupNumber(named: "nope") == nil)
    }

    @Test func autoCalloutsCountSteps() throws {
        // A lazy repeat tries the rest of the pattern after each character it takes.
        let regex = try PCRE2Regex("a.*?b", options: .autoCallout, jit: false)
        var steps = 0
        regex.callout = { _ in
            steps += 1
            return true
        }
        _ = try regex.matches("aaab")
        let short = steps
        steps = 0
        _ = try regex.matches("aaaaaaaaaaaab")
        #expect(short > 0 && steps > short)
    }

    @Test func aSharedPatternMatchesAloneOnEachThread() throws {
        // Copies share the compiled (and JIT) code; each has its own match data, callout and
        // limits, so threads can match at once.
        let original = try PCRE2Regex("(?<w>\\w+)(?C1)!")
        original.matchLimit = 10_000
        let group = try #require(original.groupNumber(named: "w"))
        let copies = (0..<4).map { _ in PCRE2Regex(sharing: original) }
        #expect(copies.allSatisfy { $0.matchLimit == 10_000 && $0.captureCount == original.captureCount })
        copies[0].callout = { callout in
            guard let range = callout.group(group) else { return false }
            return Array(callout.subject[range]) == Array("no".utf8)
        }
        var text = "yes! no!"
        let ranges = try text.withUTF8 { bytes in
            try ([original] + copies).map { try $0.firstMatchRange(in: UnsafeRawBufferPointer(bytes)) }
        }
        #expect(ranges == [0..<4, 5..<8, 0..<4, 0..<4, 0..<4], "only the copy with the callout skips \"yes\"")
        // Four threads matching through their copies at the same time all find what one finds.
        let subjects = (0..<2_000).map { "w\($0 % 97)x! " + String(repeating: "z", count: $0 % 13) + " ok!" }
        let expected = try subjects.map { subject in
            var subject = subject
            return try subject.withUTF8 { try original.allMatches(in: UnsafeRawBufferPointer($0)).map(\.range) }
        }
        final class Outcome {
            var same = false
        }
        let outcomes = (0..<4).map { _ in Outcome() }
        let threads = outcomes.map { outcome in
            let regex = PCRE2Regex(sharing: original)
            return WorkerThread {
                outcome.same = zip(subjects, expected).allSatisfy { subject, want in
                    var subject = subject
                    return (try? subject.withUTF8 { try regex.allMatches(in: UnsafeRawBufferPointer($0)).map(\.range) })
                        == want
                }
            }
        }
        for thread in threads { thread.start() }
        for thread in threads { thread.join() }
        #expect(outcomes.allSatisfy { $0.same })
    }
}
