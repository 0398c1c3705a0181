import SOCCore

/// Any schema / instance pair (split at the first NUL byte): a schema that compiles evaluates
/// any instance without crashing, and the yes/no pass agrees with the reporting pass.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let schemaBytes = input.field()
    let instance = input.rest
    guard case .success(let value) = JSONValue.parse(schemaBytes, maxDepth: 256) else { return 0 }
    let schema: JSONSchema
    do {
        schema = try JSONSchema(value: value, options: JSONSchema.Options(strictFormat: control & 1 == 1))
    } catch {
        return 0
    }
    let parser = JSONParser(maxDepth: control & 2 == 2 ? 100_000 : 64)
    instance.withUnsafeBytes { raw in
        guard case .success(let document) = parser.parse(raw) else { return }
        let valid = schema.isValid(document)
        let violations = schema.validate(document)
        fuzzCheck(valid == violations.isEmpty, "isValid \(valid) but \(violations.count) violations")
        fuzzCheck(schema.isValid(document) == valid, "not deterministic")
        for violation in violations { fuzzCheck(violation.path.hasPrefix("$"), "bad path \(violation.path)") }
    }
    return 0
}
