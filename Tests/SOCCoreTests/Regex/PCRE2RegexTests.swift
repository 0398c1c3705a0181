import Testing
@testable import SOCCore

@Suite struct PCRE2RegexTests {
    func ranges(_ regex: PCRE2Regex, _ text: String) -> [String] {
        var text = text
        return text.withUTF8 { buffer in
            regex.allMatches(in: UnsafeRawBufferPointer(buffer)).map { match in
                String(decoding: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[match.range]), as: UTF8.self)
            }
        }
    }

    @Test func caselessMatchingIsUnicodeAware() throws {
        let regex = try PCRE2Regex("élodie", options: .caseless)
        #expect(regex.matches("Hi ÉLODIE!"))
        #expect(!regex.matches("Hi Elodie!"))
    }

    @Test func allMatchesReturnsByteRangesAndGroups() throws {
        let regex = try PCRE2Regex("(\\w+)=(\\d+)?")
        #expect(ranges(regex, "a=1 zoë= b=22") == ["a=1", "zoë=", "b=22"])
        var text = "zoë="
        let groups = text.withUTF8 { regex.firstMatch(in: UnsafeRawBufferPointer($0))!.groups }
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
