/// One persona's values and keys as `PersonaValues` lays them out, told by raw pointers into
/// its memory: what `PersonaMatcher` holds for a record's personas, borrowed, not retained.
///
/// `PersonaValues` instances are shared by every worker thread (`PersonaValueTable`). Holding
/// them in the matcher as class references retained and released each one at every load and
/// at every loop over a record's values, so at `--threads 2` both cores wrote the same
/// reference counts and their cache lines moved between the cores at every record (the lead's
/// perf probes; callgrind cannot see it). A view is plain values copied out of the thread's
/// own table: nothing shared is written.
///
/// Safe only while the `PersonaValues` it was taken from lives: each holder says what keeps
/// it alive (`PersonaFieldTable` keeps every entry it has handed out until its second clear).
struct PersonaValuesView {
    /// The number of values (`raw(_:)`); the keys are as many or fewer (`key(_:)`).
    let rawCount: Int
    let keyCount: Int
    /// The longest key, in bytes.
    let longestKey: Int
    /// `rawCount + keyCount` end offsets (Int32, into `bytes`), then the bytes.
    let storage: UnsafeRawPointer
    let bytes: UnsafeRawPointer
    /// `PersonaValues.printSlots` prints (`PersonaValues.makePrints`), or nil.
    let prints: UnsafePointer<ShortPrint>?
    /// `KeyEnds.slots` ends of the keys, or nil.
    let keyEnds: UnsafePointer<KeyEnds>?

    /// Value `k` (< `rawCount`) as UTF-8.
    @inline(__always) func raw(_ k: Int) -> UnsafeRawBufferPointer { item(k) }

    /// Key `k` (< `keyCount`).
    @inline(__always) func key(_ k: Int) -> UnsafeRawBufferPointer { item(rawCount + k) }

    @inline(__always) private func item(_ i: Int) -> UnsafeRawBufferPointer {
        let start = i == 0 ? 0 : Int(storage.load(fromByteOffset: 4 * (i - 1), as: Int32.self))
        let end = Int(storage.load(fromByteOffset: 4 * i, as: Int32.self))
        return UnsafeRawBufferPointer(start: bytes + start, count: end - start)
    }

    /// The values as UTF-8 arrays.
    var raw: [[UInt8]] { (0..<rawCount).map { Array(raw($0)) } }
    /// Their `PersonaKey`s.
    var keys: [[UInt8]] { (0..<keyCount).map { Array(key($0)) } }
}
