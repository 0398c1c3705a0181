/// The members of a chat's `experience` object that soc-stats reads, found in one pass over its
/// keys (five `member` look-ups compared every key five times). A key given twice reads its last
/// value, and escaped keys are read unescaped, as `JSONDocument.member` has them.
struct ExperienceMembers {
    var persona1: Int?
    var persona2: Int?
    var relationship: Int?
    var situation: Int?
    var topic: Int?

    init(_ document: JSONDocument, _ experience: Int) {
        for key in document.memberKeys(experience) {
            let name = document.stringContent(key)
            let field =
                document.hasEscapes(key)
                ? JSONString.unescape(name).withUnsafeBytes { Self.field($0) } : Self.field(name)
            switch field {
            case 0: persona1 = key + 1
            case 1: persona2 = key + 1
            case 2: relationship = key + 1
            case 3: situation = key + 1
            case 4: topic = key + 1
            default: break
            }
        }
    }

    /// Which member the key `name` names (0 persona1, 1 persona2, 2 relationship, 3 situation,
    /// 4 topic), told apart by length and first byte before comparing.
    static func field(_ name: UnsafeRawBufferPointer) -> Int? {
        guard name.count >= 5 else { return nil }
        switch (name.count, name[0]) {
        case (8, UInt8(ascii: "p")) where name.equalsShort("persona1"): return 0
        case (8, UInt8(ascii: "p")) where name.equalsShort("persona2"): return 1
        case (12, UInt8(ascii: "r")) where name.equalsShort("relationship"): return 2
        case (9, UInt8(ascii: "s")) where name.equalsShort("situation"): return 3
        case (5, UInt8(ascii: "t")) where name.equalsShort("topic"): return 4
        default: return nil
        }
    }
}
