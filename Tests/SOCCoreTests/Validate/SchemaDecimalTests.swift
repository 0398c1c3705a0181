import Testing

@testable import SOCCore

/// Numbers in schemas compare exactly: integers beyond 2^53 and decimals keep every digit.
@Suite struct SchemaDecimalTests {
    func valid(_ schema: String, _ instance: String) throws -> Bool {
        let compiled = try JSONSchema(text: schema)
        return ValidateFixtures.withDocument(instance) { compiled.validate($0!).isEmpty }
    }

    @Test func equalValuesHaveEqualForms() throws {
        let forms = ["1", "1.0", "10e-1", "0.1E1", "1.000e0", "100e-2"]
        for form in forms { #expect(SchemaDecimal(form) == SchemaDecimal("1"), "\(form)") }
        #expect(SchemaDecimal("-0") == SchemaDecimal("0.0e5"))
        #expect(SchemaDecimal("9007199254740993") != SchemaDecimal("9007199254740992"))
        #expect(SchemaDecimal("1.") == nil && SchemaDecimal("e5") == nil && SchemaDecimal("1e") == nil)
    }

    @Test func orderIsExact() throws {
        let ascending = [
            "-1e400", "-9007199254740993", "-9007199254740992", "-0.30000000000000001", "-0.3", "0", "1e-400",
            "0.1", "0.10000000000000001", "1", "9007199254740992", "9007199254740993", "1e400",
        ]
        for (k, a) in ascending.enumerated() {
            for (j, b) in ascending.enumerated() {
                #expect(
                    SchemaDecimal.compare(SchemaDecimal(a)!, SchemaDecimal(b)!) == (k < j ? -1 : (k == j ? 0 : 1)),
                    "\(a) vs \(b)")
            }
        }
    }

    @Test func boundsBeyondTwoToThe53() throws {
        // Issue 11 item 12: as doubles, 9007199254740993 == 9007199254740992.
        #expect(try !valid(#"{"maximum": 9007199254740992}"#, "9007199254740993"))
        #expect(try valid(#"{"maximum": 9007199254740992}"#, "9007199254740992"))
        #expect(try !valid(#"{"exclusiveMaximum": 9007199254740993}"#, "9007199254740993.0"))
        #expect(try !valid(#"{"minimum": 9007199254740993}"#, "9007199254740992"))
        #expect(try !valid(#"{"exclusiveMinimum": 0.1}"#, "0.1000"))
        #expect(try valid(#"{"exclusiveMinimum": 0.1}"#, "0.10000000000000001"))
        #expect(try !valid(#"{"maximum": 100}"#, "1e400"))
        #expect(try valid(#"{"minimum": 16, "maximum": 100}"#, "16"))
        #expect(try !valid(#"{"minimum": 16, "maximum": 100}"#, "15.999999999999999999"))
    }

    @Test func constEnumAndUniqueItemsBeyondTwoToThe53() throws {
        #expect(try !valid(#"{"const": 9007199254740993}"#, "9007199254740992"))
        #expect(try valid(#"{"const": 9007199254740993}"#, "90071992547409930e-1"))
        #expect(try !valid(#"{"enum": [9007199254740993, "x"]}"#, "9007199254740992"))
        #expect(try valid(#"{"uniqueItems": true}"#, "[9007199254740992, 9007199254740993]"))
        #expect(try !valid(#"{"uniqueItems": true}"#, "[1, 1.0]"))
        #expect(
            try !valid(
                #"{"uniqueItems": true}"#, #"[{"a": [1, {"b": 2}], "c": "\u0041"}, {"c": "A", "a": [1.0, {"b": 2e0}]}]"#
            ))
        #expect(try valid(#"{"uniqueItems": true}"#, #"[{"a": 1, "b": 2}, {"a": 2, "b": 1}, [1, 2], [2, 1]]"#))
    }

    @Test func integersAndMultiplesAreExact() throws {
        #expect(try !valid(#"{"type": "integer"}"#, "1.0000000000000000001"))
        #expect(try valid(#"{"type": "integer"}"#, "1e400"))
        #expect(try !valid(#"{"multipleOf": 2}"#, "9007199254740993"))
        #expect(try valid(#"{"multipleOf": 2}"#, "9007199254740994"))
        #expect(try valid(#"{"multipleOf": 0.0001}"#, "0.0075"))
        #expect(try !valid(#"{"multipleOf": 0.0001}"#, "0.00751"))
        #expect(try valid(#"{"multipleOf": 0.5}"#, "1e308"))
        #expect(try valid(#"{"multipleOf": 3}"#, "3e1000000"))
        #expect(try !valid(#"{"multipleOf": 7}"#, "1e1000000"))
    }
}
