/// Member lookup by a literal key, for the few keys every record is asked for (`chat_parts`,
/// `experience`, `id`, ...).
extension JSONDocument {
    /// `member(object, key)`: the value of the last member named `key`, or nil (also when
    /// `object` is not an object). Keys are compared where they lie, length first, by machine
    /// words (`equalsShort`); an object with an escaped key is looked up by `member`.
    ///
    /// Measured (soc-validate --threads 1 --rejects /dev/null real20.jsonl, callgrind):
    /// `member` took ~250 instructions a call on a chat's root (a `stringEquals` and a memcmp
    /// call per key of the same length), and soc-validate asks eleven a record; see the commit.
    @inline(__always)
    public func shortMember(_ object: Int, _ key: StaticString) -> Int? {
        guard kind(object) == .object else { return nil }
        var found: Int?
        for name in memberKeys(object) {
            if hasEscapes(name) { return member(object, key) }
            if stringContent(name).equalsShort(key) { found = name + 1 }
        }
        return found
    }
}
