import Testing

@testable import SOCCore

/// A `pattern` PCRE2 cannot decide (catastrophic backtracking past the match limit) is a
/// diagnosis of its own, never a silent "does not match" (which `not` would turn into a pass).
@Suite struct PatternLimitTests {
    static let evil = #""(x+x+)+y""#
    static let subject = #""xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx!y""#

    func outcome(_ schema: String, _ instance: String) throws -> (valid: Bool, violations: [SchemaViolation]) {
        let compiled = try JSONSchema(text: schema)
        return ValidateFixtures.withDocument(instance) { (compiled.isValid($0!), compiled.validate($0!)) }
    }

    @Test(arguments: [
        #"{"pattern": \#(evil)}"#,
        #"{"not": {"pattern": \#(evil)}}"#,
        #"{"anyOf": [{"pattern": \#(evil)}, {"type": "number"}]}"#,
    ])
    func anUndecidedPatternIsNeitherValidNorInvalid(_ schema: String) throws {
        let (valid, violations) = try outcome(schema, Self.subject)
        #expect(!valid)
        #expect(violations.map(\.keyword) == ["patternLimit"])
        #expect(violations.first?.path == "$")
        #expect(violations.first?.message.contains("match limit") == true)
        #expect(ReasonCode.schema("patternLimit") == "schema_pattern_limit")
    }

    @Test func patternPropertiesAndAdditionalPropertiesToo() throws {
        let keys = #"{"\#(Self.subject.dropFirst().dropLast())": 1}"#
        let (valid, violations) = try outcome(#"{"patternProperties": {\#(Self.evil): {"type": "string"}}}"#, keys)
        #expect(!valid)
        #expect(violations.map(\.keyword) == ["patternLimit"])
        let (valid2, violations2) = try outcome(
            #"{"properties": {"a": {}}, "patternProperties": {\#(Self.evil): {}}, "additionalProperties": false}"#, keys
        )
        #expect(!valid2)
        #expect(violations2.map(\.keyword) == ["patternLimit"])
    }

    @Test func decidablePatternsAreUnaffected() throws {
        #expect(try outcome(#"{"pattern": \#(Self.evil)}"#, #""xxy""#).valid)
        #expect(try outcome(#"{"not": {"pattern": \#(Self.evil)}}"#, #""xxy""#).violations.map(\.keyword) == ["not"])
    }
}
