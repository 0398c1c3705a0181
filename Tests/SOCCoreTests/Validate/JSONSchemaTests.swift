import Foundation
import Testing

@testable import SOCCore

@Suite struct JSONSchemaTests {
    func violations(_ schema: String, _ instance: String, options: JSONSchema.Options = .init()) throws
        -> [SchemaViolation]
    {
        let compiled = try JSONSchema(text: schema, options: options)
        return ValidateFixtures.withDocument(instance) { compiled.validate($0!) }
    }

    @Test func pathsNameTheFailingValue() throws {
        let schema =
            #"{"properties": {"chat_parts": {"items": {"properties": {"sender": {"type": "string"}}}}, "odd key": {"type": "null"}}}"#
        let found = try violations(
            schema, #"{"chat_parts": [{"sender": "a"}, {"sender": "b"}, {"sender": "c"}, {"sender": 4}], "odd key": 1}"#
        )
        #expect(found.map(\.path) == ["$.chat_parts[3].sender", #"$["odd key"]"#])
        #expect(found.first?.keyword == "type")
    }

    @Test func everyErrorIsCollected() throws {
        let found = try violations(#"{"required": ["a", "b"], "properties": {"c": {"minimum": 3}}}"#, #"{"c": 1}"#)
        #expect(found.map(\.keyword) == ["required", "required", "minimum"])
    }

    @Test func lengthsCountCodePoints() throws {
        #expect(try violations(#"{"maxLength": 4}"#, #""Zoë!""#).isEmpty)
        #expect(try violations(#"{"maxLength": 1}"#, #""\ud83d\ude00""#).isEmpty)
        #expect(try violations(#"{"minLength": 2}"#, #""💩""#).count == 1)
    }

    @Test func patternsFollowECMA262() throws {
        // \d is ASCII-only in ECMA-262 (PCRE2 with UCP would accept Arabic-Indic digits).
        #expect(try violations(#"{"pattern": "^\\d+$"}"#, #""١٢٣""#).count == 1)
        #expect(try violations(#"{"pattern": "^\\d+$"}"#, #""123""#).isEmpty)
        // $ matches only at the very end.
        #expect(try violations(#"{"pattern": "^abc$"}"#, #""abc\n""#).count == 1)
        #expect(try violations(#"{"pattern": "^\\p{Letter}+$"}"#, #""Élodie""#).isEmpty)
        // \s is ECMA-262's white space: U+FEFF yes, U+0085 no.
        #expect(try violations(#"{"pattern": "^\\s$"}"#, #""\ufeff""#).isEmpty)
        #expect(try violations(#"{"pattern": "^\\s$"}"#, #""\u0085""#).count == 1)
    }

    @Test func formatIsAnAnnotationUnlessStrict() throws {
        let schema = #"{"format": "date-time"}"#
        #expect(try violations(schema, #""yesterday""#).isEmpty)
        let strict = JSONSchema.Options(strictFormat: true)
        #expect(try violations(schema, #""yesterday""#, options: strict).first?.keyword == "format")
        #expect(try violations(schema, #""2025-08-08T10:00:00Z""#, options: strict).isEmpty)
        let cases: [(String, String, Bool)] = [
            ("date", "2024-02-29", true), ("date", "2023-02-29", false), ("email", "ana@example.org", true),
            ("email", "ana", false),
            ("uuid", "4436437d-368e-4325-a7c1-c6f7092c2d9e", true), ("uuid", "4436437d368e4325a7c1c6f7092c2d9e", false),
            ("ipv4", "192.168.0.1", true), ("ipv4", "192.168.0.01", false), ("ipv6", "::1", true),
            ("ipv6", "1::2::3", false),
            ("ipv6", "::ffff:1.2.3.4", true), ("uri", "https://example.org/a?b#c", true), ("uri", "not a uri", false),
        ]
        for (format, value, valid) in cases {
            #expect(
                try violations(#"{"format": "\#(format)"}"#, JSONString.quoted(value), options: strict).isEmpty
                    == valid, "\(format) \(value)")
        }
    }

    @Test func unevaluatedPropertiesSeesThroughApplicators() throws {
        let schema =
            #"{"allOf": [{"properties": {"a": true}}], "anyOf": [{"properties": {"b": true}}, {"required": ["zzz"]}], "unevaluatedProperties": false}"#
        #expect(try violations(schema, #"{"a": 1, "b": 2}"#).isEmpty)
        #expect(try violations(schema, #"{"a": 1, "c": 2}"#).map(\.path) == ["$.c"])
    }

    @Test func refDirectoriesAndRelativeFilesResolveWithoutNetwork() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soc-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("defs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"$defs": {"id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}}"#.utf8).write(
            to: folder.appendingPathComponent("defs/common.json"))
        try Data(
            #"{"properties": {"id": {"$ref": "defs/common.json#/$defs/id"}, "n": {"$ref": "https://example.org/s/n.json"}}}"#
                .utf8
        ).write(to: folder.appendingPathComponent("main.json"))
        try Data(#"{"type": "integer"}"#.utf8).write(to: folder.appendingPathComponent("n.json"))
        let options = JSONSchema.Options(refDirectories: [
            SchemaRefDirectory(argument: "https://example.org/s/=\(folder.path)")!
        ])
        let schema = try JSONSchema(file: folder.appendingPathComponent("main.json").path, options: options)
        #expect(
            ValidateFixtures.withDocument(#"{"id": "0123456789abcdef0123456789abcdef", "n": 3}"#) {
                schema.isValid($0!)
            })
        #expect(
            ValidateFixtures.withDocument(#"{"id": "xyz", "n": 3.5}"#) { schema.validate($0!).map(\.path) } == [
                "$.id", "$.n",
            ])
        #expect(throws: SchemaError.self) { try JSONSchema(text: #"{"$ref": "https://unmapped.example/x.json"}"#) }
    }

    @Test func dynamicRefFollowsTheDynamicScope() throws {
        let tree =
            ##"{"$id": "https://example.org/tree", "$dynamicAnchor": "node", "type": "object", "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}}}"##
        let strict =
            ##"{"$id": "https://example.org/strict", "$dynamicAnchor": "node", "$ref": "tree", "unevaluatedProperties": false, "$defs": {"tree": \##(tree)}}"##
        // Alone, the tree allows any extra property; extended by `strict`, every nested node is strict too.
        #expect(try violations(tree, #"{"children": [{"x": 1}]}"#).isEmpty)
        #expect(try violations(strict, #"{"children": [{"children": []}]}"#).isEmpty)
        let found = try violations(strict, #"{"children": [{"x": 1}]}"#)
        #expect(found.first?.path == "$.children[0].x", "\(found)")
    }

    @Test func fusedObjectShapeAgreesWithTheReportingPass() throws {
        let schema = try JSONSchema(
            text:
                #"{"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "c": true}, "additionalProperties": false}"#
        )
        let cases: [(String, [String])] = [
            (#"{"a": "x", "b": 1}"#, []),
            (#"{"a": "x", "b": 1, "c": null}"#, []),
            (#"{"a": "x"}"#, ["$"]),
            (#"{"a": "x", "b": 1, "d": 0}"#, ["$.d"]),
            (#"{"a": 5, "b": 1}"#, ["$.a"]),
            (#"{"b": "no", "e": 1}"#, ["$", "$.b", "$.e"]),
        ]
        for (instance, paths) in cases {
            ValidateFixtures.withDocument(instance) { document in
                #expect(schema.isValid(document!) == paths.isEmpty, "\(instance)")
                #expect(schema.validate(document!).map(\.path) == paths, "\(instance)")
            }
        }
    }

    @Test func legacyDependenciesAndHugeMultiples() throws {
        let schema = #"{"dependencies": {"a": ["b"], "c": {"required": ["d"]}}}"#
        #expect(try violations(schema, #"{"a": 1, "b": 2, "c": 3, "d": 4}"#).isEmpty)
        #expect(try violations(schema, #"{"a": 1}"#).map(\.keyword) == ["dependentRequired"])
        #expect(try violations(schema, #"{"c": 1}"#).map(\.keyword) == ["required"])
        #expect(try violations(#"{"multipleOf": 0.5}"#, "1e308").isEmpty)
        #expect(try violations(#"{"multipleOf": 0.123456789}"#, "1e308").count == 1)
        #expect(try violations(#"{"multipleOf": 0.0001}"#, "0.0075").isEmpty)
    }
}

/// What a yes/no pass proves about repeated keys (`hasDistinctKeys`, used by soc-validate's
/// duplicate-key check).
@Suite struct DistinctKeysTests {
    @Test func closedPropertiesProveKeysDistinct() throws {
        let schema = try JSONSchema(
            text: #"""
                {"properties": {"a": {}, "b": {"properties": {"x": {}}, "additionalProperties": false}},
                 "additionalProperties": false}
                """#)
        try withDocument(#"{"a": 1, "b": {"x": 2}}"#) { document in
            #expect(schema.isValid(document))
            #expect(schema.hasDistinctKeys(0))
            #expect(schema.hasDistinctKeys(4))
        }
        try withDocument(#"{"a": 1, "\u0061": 2, "b": {"x": 2, "x": 3}}"#) { document in
            #expect(schema.isValid(document))
            #expect(!schema.hasDistinctKeys(0))
            #expect(!schema.hasDistinctKeys(6))
        }
        // Open objects prove nothing (an unknown key may be repeated).
        let open = try JSONSchema(text: #"{"properties": {"a": {}}}"#)
        try withDocument(#"{"a": 1, "z": 2}"#) { document in
            #expect(open.isValid(document))
            #expect(!open.hasDistinctKeys(0))
        }
    }
}

@Suite struct SimplePatternTests {
    /// The simple matcher must agree with PCRE2 wherever it accepts a pattern.
    @Test func agreesWithPCRE2() throws {
        let patterns = [
            "^[0-9a-f]{32}$", "^[0-9a-f]{32}_[0-9a-f]{32}_[0-9]+$", "^[a-z]+-[0-9]{2,4}$", "^\\d{3}\\.[a-c]?x*$",
            "^ab[c-e]{1,}$", "^[0-9]*$",
        ]
        let subjects = [
            "", "0", "abc", "abcd", "abce", "abcf", "0123456789abcdef0123456789abcdef",
            "0123456789ABCDEF0123456789abcdef",
            "0123456789abcdef0123456789abcdef_0123456789abcdef0123456789abcdef_1754636650",
            "0123456789abcdef0123456789abcdef_0123456789abcdef0123456789abcdef_",
            "abc-12", "abc-12345", "-12", "123.bxxx", "123.", "12.b", "123.bb", "0123456789abcdef0123456789abcdef\n",
            "é", "12é",
        ]
        for pattern in patterns {
            let simple = try #require(SimplePattern.compile(pattern), "\(pattern) should be simple")
            let regex = try PCRE2Regex(pattern, options: PCRE2Regex.Options(rawValue: 0x0000_0010))  // DOLLAR_ENDONLY
            for subject in subjects {
                var text = subject
                let expected = try regex.matches(text)
                let got = text.withUTF8 { simple.matches(UnsafeRawBufferPointer($0)) }
                #expect(got == expected, "\(pattern) on \(subject.debugDescription)")
            }
        }
    }

    @Test func leavesTheRestToPCRE2() {
        for pattern in ["[0-9]+", "^[a-z]+a$", "^(ab)+$", "^[^a]$", "^a|b$", "^\\w+$", "^[a-z]+[a-c]$", "^.$"] {
            #expect(SimplePattern.compile(pattern) == nil, "\(pattern)")
        }
    }
}
