#if canImport(Glibc)
    import Glibc
#endif

/// One compiled (sub)schema: its keywords in evaluation order, children named by node index.
///
/// Nodes live in one array owned by `JSONSchema`; `$ref` and `$dynamicRef` point into it by
/// index, which is how recursive schemas compile without reference cycles.
final class SchemaNode {
    /// For `true` / `false` schemas: the fixed outcome; nil for object schemas.
    var constant: Bool?
    var keywords: [SchemaKeyword] = [] {
        didSet {
            if keywords.count == 1, case .type(let set) = keywords[0] { typeOnly = set } else { typeOnly = nil }
        }
    }
    /// Set when `type` is the node's only keyword, for a fast path.
    private(set) var typeOnly: SchemaTypeSet?
    /// The schema resource (an `$id` scope) the node belongs to, for the dynamic scope.
    var resource: Int
    /// True when the node has `unevaluatedProperties` or `unevaluatedItems`, so its in-place
    /// applicators must report which members and items they evaluated.
    var tracksEvaluation = false
    /// Where the node was written (`base#/pointer`), for messages and debugging.
    var location: String

    init(resource: Int, location: String) {
        self.resource = resource
        self.location = location
    }
}

/// The JSON types a `type` keyword can name, as bits.
struct SchemaTypeSet: OptionSet {
    let rawValue: UInt8
    static let null = SchemaTypeSet(rawValue: 1)
    static let boolean = SchemaTypeSet(rawValue: 2)
    static let object = SchemaTypeSet(rawValue: 4)
    static let array = SchemaTypeSet(rawValue: 8)
    static let number = SchemaTypeSet(rawValue: 16)
    static let string = SchemaTypeSet(rawValue: 32)
    static let integer = SchemaTypeSet(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "number": self = .number
        case "string": self = .string
        case "integer": self = .integer
        default: return nil
        }
    }

    /// The names, for messages: `"string" or "null"`.
    var names: String {
        let all: [(SchemaTypeSet, String)] = [
            (.null, "null"), (.boolean, "boolean"), (.object, "object"), (.array, "array"), (.number, "number"),
            (.string, "string"), (.integer, "integer"),
        ]
        return all.filter { contains($0.0) }.map { $0.1 }.joined(separator: " or ")
    }
}

/// A property name with its UTF-8 bytes kept for comparing against tape keys without decoding.
struct PropertyName {
    let name: String
    let bytes: [UInt8]
    init(_ name: String) {
        self.name = name
        bytes = Array(name.utf8)
    }
}

/// A compiled keyword. Children are node indices.
enum SchemaKeyword {
    case type(SchemaTypeSet)
    case enumeration([JSONValue])
    case constant(JSONValue)
    case minimum(SchemaLimit, exclusive: Bool)
    case maximum(SchemaLimit, exclusive: Bool)
    case multipleOf(SchemaLimit)
    case minLength(Int)
    case maxLength(Int)
    case pattern(PCRE2Regex)
    case format(SchemaFormat)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case prefixItems([Int])
    case items(Int, after: Int)
    case contains(Int, min: Int, max: Int?)
    case minProperties(Int)
    case maxProperties(Int)
    case required(PropertyTable)
    case properties(PropertyTable, [Int])
    case patternProperties([(PCRE2Regex, Int)])
    case additionalProperties(Int, known: PropertyTable, patterns: [PCRE2Regex])
    case propertyNames(Int)
    case dependentRequired([(PropertyName, [PropertyName])])
    case dependentSchemas([(PropertyName, Int)])
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case conditional(if: Int, then: Int?, else: Int?)
    case ref(Int)
    case dynamicRef(Int, anchor: String?)
    /// 2019-09's `$recursiveRef` (its target; the dynamic scope decides at run time).
    case recursiveRef(Int)
    case unevaluatedItems(Int)
    case unevaluatedProperties(Int)

    /// True for the keywords of the validation vocabulary (assertions on the value itself).
    var isValidation: Bool {
        switch self {
        case .type, .enumeration, .constant, .minimum, .maximum, .multipleOf, .minLength, .maxLength, .pattern,
            .minItems, .maxItems, .uniqueItems, .minProperties, .maxProperties, .required, .dependentRequired:
            return true
        default:
            return false
        }
    }

    /// The keyword's name as written in a schema (for reason codes and messages).
    var name: String {
        switch self {
        case .type: return "type"
        case .enumeration: return "enum"
        case .constant: return "const"
        case .minimum(_, let exclusive): return exclusive ? "exclusiveMinimum" : "minimum"
        case .maximum(_, let exclusive): return exclusive ? "exclusiveMaximum" : "maximum"
        case .multipleOf: return "multipleOf"
        case .minLength: return "minLength"
        case .maxLength: return "maxLength"
        case .pattern: return "pattern"
        case .format: return "format"
        case .minItems: return "minItems"
        case .maxItems: return "maxItems"
        case .uniqueItems: return "uniqueItems"
        case .prefixItems: return "prefixItems"
        case .items: return "items"
        case .contains: return "contains"
        case .minProperties: return "minProperties"
        case .maxProperties: return "maxProperties"
        case .required: return "required"
        case .properties: return "properties"
        case .patternProperties: return "patternProperties"
        case .additionalProperties: return "additionalProperties"
        case .propertyNames: return "propertyNames"
        case .dependentRequired: return "dependentRequired"
        case .dependentSchemas: return "dependentSchemas"
        case .allOf: return "allOf"
        case .anyOf: return "anyOf"
        case .oneOf: return "oneOf"
        case .not: return "not"
        case .conditional: return "if"
        case .ref: return "$ref"
        case .dynamicRef: return "$dynamicRef"
        case .recursiveRef: return "$recursiveRef"
        case .unevaluatedItems: return "unevaluatedItems"
        case .unevaluatedProperties: return "unevaluatedProperties"
        }
    }
}

/// A schema's property names laid out for matching tape keys: per name its length and its
/// first and last (up to) eight bytes, so a key is matched by three integer compares per name.
/// Hand-written because this is the inner loop of `properties` / `required` on every object of
/// every record (a dictionary would hash the key first); measured in the commit that added it.
final class PropertyTable {
    let names: [String]
    let count: Int
    private let storage: UnsafeMutableRawPointer
    private let offsets: UnsafeMutablePointer<Int>
    private let entries: UnsafeMutablePointer<Entry>
    /// For each length below `Self.lengths`: the first name of that length, or -1; and per name,
    /// the next name of its length, or -1 (names of other lengths are never looked at).
    private let firstOfLength: UnsafeMutablePointer<Int>
    private let nextOfLength: UnsafeMutablePointer<Int>
    private static let lengths = 64
    /// No name is given twice, so a key equal to `names[k]` is found at `k` (see `index(of:expected:in:)`).
    private let distinctNames: Bool

    private struct Entry {
        var length: Int
        var head: UInt64
        var tail: UInt64
        /// For names of 4 to 16 bytes (`index(of:expected:in:)`): the low `length` bytes, or all
        /// eight from 8 on; the first eight bytes and the eight from `length - 8` (or the
        /// first again below 8), each masked so.
        var mask: UInt64 = 0
        var head8: UInt64 = 0
        var tail8: UInt64 = 0
    }

    init(_ names: [String]) {
        self.names = names
        count = names.count
        distinctNames = Set(names).count == names.count
        let total = names.reduce(0) { $0 + $1.utf8.count }
        storage = .allocate(byteCount: max(total, 1), alignment: 1)
        offsets = .allocate(capacity: names.count + 1)
        entries = .allocate(capacity: max(names.count, 1))
        var offset = 0
        for (k, name) in names.enumerated() {
            offsets[k] = offset
            for byte in name.utf8 {
                storage.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
                offset += 1
            }
            let length = offset - offsets[k]
            let (head, tail) = length == 0 ? (0, 0) : Self.signature(storage + offsets[k], length)
            entries[k] = Entry(length: length, head: head, tail: tail)
            if length >= 4 && length <= 16 {
                let bytes = storage + offsets[k]
                func word(_ from: Int) -> UInt64 {
                    var value: UInt64 = 0
                    for b in 0..<min(8, length - from) {
                        value |= UInt64(bytes.load(fromByteOffset: from + b, as: UInt8.self)) << UInt64(8 * b)
                    }
                    return value
                }
                entries[k].mask = length >= 8 ? ~0 : (1 << UInt64(8 * length)) - 1
                entries[k].head8 = word(0)
                entries[k].tail8 = word(length >= 8 ? length - 8 : 0)
            }
        }
        offsets[names.count] = offset
        firstOfLength = .allocate(capacity: Self.lengths)
        firstOfLength.initialize(repeating: -1, count: Self.lengths)
        nextOfLength = .allocate(capacity: max(names.count, 1))
        for k in (0..<names.count).reversed() {
            let length = entries[k].length
            guard length < Self.lengths else {
                nextOfLength[k] = -1
                continue
            }
            nextOfLength[k] = firstOfLength[length]
            firstOfLength[length] = k
        }
    }

    deinit {
        storage.deallocate()
        offsets.deallocate()
        entries.deallocate()
        firstOfLength.deallocate()
        nextOfLength.deallocate()
    }

    /// The first and last eight bytes of `length` (> 0) bytes (four and four below eight, the
    /// bytes themselves below four): together they are all the bytes when `length` <= 16.
    @inline(__always)
    static func signature(_ bytes: UnsafeRawPointer, _ length: Int) -> (UInt64, UInt64) {
        if length >= 8 {
            return (bytes.loadUnaligned(as: UInt64.self), (bytes + length - 8).loadUnaligned(as: UInt64.self))
        }
        if length >= 4 {
            return (
                UInt64(bytes.loadUnaligned(as: UInt32.self)),
                UInt64((bytes + length - 4).loadUnaligned(as: UInt32.self))
            )
        }
        var head: UInt64 = 0
        for k in 0..<length { head |= UInt64(bytes.load(fromByteOffset: k, as: UInt8.self)) << UInt64(8 * k) }
        return (head, 0)
    }

    /// The index of the name equal to the string (a key) at tape index `key`, or -1.
    // Measured: outlined with `lookup` (soc-validate --threads 1 --rejects /dev/null, 5 MB of
    // gen_soc --realistic --seed 1), the pair cost 2.7M more instructions (callgrind, of 202.7M).
    @inline(__always)
    func index(of key: Int, in document: JSONDocument) -> Int {
        let node = document.nodes[key]
        if node.flags & JSONNode.hasEscapes != 0 {
            return document.withStringBytes(key) { lookup($0.baseAddress, $0.count) }
        }
        return lookup(document.bytes.baseAddress.map { $0 + Int(node.start) + 1 }, Int(node.end - node.start) - 2)
    }

    /// `index(of:in:)`, trying `names[expected]` first: records mostly write their keys in the
    /// schema's order, so the key at member `expected` of its object is most often that name, and
    /// one compare of its length and bytes answers without the search.
    @inline(__always)
    func index(of key: Int, expected: Int, in document: JSONDocument) -> Int {
        let node = document.nodes[key]
        let length = Int(node.end - node.start) - 2
        if expected < count, distinctNames, node.flags & JSONNode.hasEscapes == 0, length >= 4, length <= 16,
            entries[expected].length == length, let base = document.bytes.baseAddress
        {
            // Two eight-byte loads, masked, whatever the length: no branch on it (keys of
            // alternating lengths, `sender` and `messages`, mispredicted ~120,000 times per
            // 20 MB). Below 8 bytes the load still ends inside the line: the key is followed by
            // its closing quote, `:`, a value and the object's `}`.
            let entry = entries[expected]
            let p = base + Int(node.start) + 1
            let tailOffset = length >= 8 ? length - 8 : 0
            let head = p.loadUnaligned(as: UInt64.self) & entry.mask
            let tail = (p + tailOffset).loadUnaligned(as: UInt64.self) & entry.mask
            if (head ^ entry.head8) | (tail ^ entry.tail8) == 0 { return expected }
        }
        return index(of: key, in: document)
    }

    @inline(__always)  // Measured: see `index(of:in:)`.
    func lookup(_ bytes: UnsafeRawPointer?, _ length: Int) -> Int {
        let (head, tail) = length == 0 ? (0, 0) : Self.signature(bytes!, length)
        if length < Self.lengths {
            // Names of this length in order, so the first equal one is found first.
            var k = firstOfLength[length]
            while k >= 0 {
                let entry = entries[k]
                if entry.head == head, entry.tail == tail,
                    length <= 16 || memcmp(storage + offsets[k], bytes!, length) == 0
                {
                    return k
                }
                k = nextOfLength[k]
            }
            return -1
        }
        for k in 0..<count {
            let entry = entries[k]
            guard entry.length == length, entry.head == head, entry.tail == tail else { continue }
            if length <= 16 || memcmp(storage + offsets[k], bytes!, length) == 0 { return k }
        }
        return -1
    }
}

/// A number a keyword compares with (`minimum`, `maximum`, `multipleOf`): exact, as written.
struct SchemaLimit {
    /// The schema's text, for messages.
    let text: String
    let decimal: SchemaDecimal
    /// The value when it is an integer of at most 18 digits, for a fast path; else nil.
    let integer: Int64?
    /// The nearest Double, for `multipleOf` with a divisor of more than 18 significant digits.
    let double: Double

    init?(_ number: JSONNumber) {
        guard let decimal = SchemaDecimal(number.text) else { return nil }
        text = number.text
        self.decimal = decimal
        integer = decimal.int64.flatMap { abs($0) < 1_000_000_000_000_000_000 ? $0 : nil }
        double = number.double
    }
}
