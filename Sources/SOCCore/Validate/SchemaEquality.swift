#if canImport(Glibc)
import Glibc
#endif

/// JSON Schema equality (`const`, `enum`, `uniqueItems`): numbers by value (`1 == 1.0`),
/// strings by their unescaped text, objects regardless of key order, arrays in order.
enum SchemaEquality {
    /// True when the number at `i` has no fractional part (`1.0` is an integer to JSON Schema).
    @inline(__always)
    static func isIntegral(_ document: JSONDocument, _ i: Int) -> Bool {
        if document.nodes[i].flags & JSONNode.isInteger != 0 { return true }
        guard let value = document.double(i), value.isFinite else { return false }
        return value == value.rounded()
    }

    /// Two values of the same document.
    static func equal(_ document: JSONDocument, _ a: Int, _ b: Int) -> Bool {
        let kind = document.kind(a)
        guard kind == document.kind(b) else { return false }
        switch kind {
        case .null, .true, .false: return true
        case .number: return numbersEqual(document.raw(a), document.raw(b))
        case .string: return stringsEqual(document, a, b)
        case .array:
            guard document.count(a) == document.count(b) else { return false }
            return zip(document.elements(a), document.elements(b)).allSatisfy { equal(document, $0, $1) }
        case .object:
            guard document.count(a) == document.count(b) else { return false }
            for key in document.memberKeys(a) {
                let found = document.withStringBytes(key) { document.member(b, $0) }
                guard let other = found, equal(document, key + 1, other) else { return false }
            }
            return true
        }
    }

    /// Two strings of the same document, compared in place unless one has escapes.
    @inline(__always)
    static func stringsEqual(_ document: JSONDocument, _ a: Int, _ b: Int) -> Bool {
        if !document.hasEscapes(a) && !document.hasEscapes(b) {
            let x = document.stringContent(a), y = document.stringContent(b)
            return x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
        }
        return document.withStringBytes(a) { x in document.withStringBytes(b) { y in x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) } }
    }

    /// A tape value and a materialised one (schema constants).
    static func equal(_ document: JSONDocument, _ i: Int, _ value: JSONValue) -> Bool {
        switch (document.kind(i), value) {
        case (.null, .null): return true
        case (.true, .bool(true)), (.false, .bool(false)): return true
        case (.number, .number(let number)):
            var text = number.text
            return text.withUTF8 { numbersEqual(document.raw(i), UnsafeRawBufferPointer($0)) }
        case (.string, .string(let text)):
            var text = text
            return text.withUTF8 { bytes in document.withStringBytes(i) { $0.elementsEqual(UnsafeRawBufferPointer(bytes)) } }
        case (.array, .array(let items)):
            guard document.count(i) == items.count else { return false }
            return zip(document.elements(i), items).allSatisfy { equal(document, $0, $1) }
        case (.object, .object(let members)):
            guard document.count(i) == members.count else { return false }
            return members.allSatisfy { key, member in
                guard let found = document.member(i, key) else { return false }
                return equal(document, found, member)
            }
        default:
            return false
        }
    }

    /// Numbers written differently but equal in value (`1`, `1.0`, `1e0`).
    private static func numbersEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        if a.elementsEqual(b) { return true }
        let x = Double(Substring(String(decoding: a, as: UTF8.self)))
        let y = Double(Substring(String(decoding: b, as: UTF8.self)))
        return x != nil && x == y
    }
}
