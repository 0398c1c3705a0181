/// The figures of the persona objects one worker has read, by their exact bytes, so that an
/// object met again (in this unit or a later one) is not read again, and is counted by its slot
/// (`PersonaBuffer.note(slot:cache:)`) instead of by its bytes. Only a speed-up: the figures of an
/// object are the same wherever it is read. Bounded by `limit` objects (~1 KB each with their
/// figures; the realistic bench file holds ~10,600 byte-distinct ones); past it, new objects
/// are read every time.
///
/// The trait and model names of the objects are numbered too (`traitIDs`, `modelID`), so a
/// unit's counts can be gathered per name in an array (`PersonaBuffer.flush`).
final class PersonaFiguresCache: @unchecked Sendable {
    // @unchecked: one worker's stage owns it and uses it from the thread deciding its unit (and
    // the units' buffers are flushed on that thread, in `StatsStage.endUnit`).
    static let limit = 1 << 14
    /// Most names numbered; past it an object's names have no numbers.
    static let nameLimit = 1 << 16

    // Unchecked: the class is used by one thread at a time (above); the dynamic exclusivity
    // checks cost more than the look-up itself.
    private let objects = ByteStringTable(limit: PersonaFiguresCache.limit)
    @exclusivity(unchecked) private var figures: [PersonaFigures] = []
    private let names = ByteStringTable(limit: PersonaFiguresCache.nameLimit)
    @exclusivity(unchecked) private var nameValues: [String] = []
    /// The numbers of each object's traits (`PersonaFigures.traits`), one object after another:
    /// object `slot`'s are `traitIDs[traitIDEnds[slot - 1]..<traitIDEnds[slot]]`.
    @exclusivity(unchecked) private var traitIDs: [Int32] = []
    @exclusivity(unchecked) private var traitIDEnds: [Int32] = []
    /// Each object's model number, -1 without a model.
    @exclusivity(unchecked) private var modelIDs: [Int32] = []
    /// False for an object some name of which has no number (`nameLimit`).
    @exclusivity(unchecked) private var fullyNamed: [Bool] = []

    init() {}

    /// The slot of the persona object at `persona` (whose bytes are `bytes`, XXH3 `hash`), read
    /// now if it is new; nil when it cannot be held (the cache is full, or another object has
    /// the same hash): the caller reads it itself.
    func slot(_ document: JSONDocument, persona: Int, bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        switch objects.find(orAdd: bytes, hash: hash) {
        case .found(let slot): return slot
        case .unavailable: return nil
        case .added(let slot):
            var named = true
            var model: Int32 = -1
            let read = PersonaFigures(document, persona: persona) { index, isModel in
                guard let (value, id) = numberedName(document, index) else { return nil }
                named = named && id >= 0
                if isModel { model = id } else { traitIDs.append(id) }
                return value
            }
            figures.append(read)
            traitIDEnds.append(Int32(traitIDs.count))
            modelIDs.append(model)
            fullyNamed.append(named)
            return slot
        }
    }

    /// The string value at `index` (`document.string`) and its number (-1 past `nameLimit`),
    /// looked up by its UTF-8 where it lies: a name numbered before is not made into a String
    /// again; nil when the value is not a string.
    private func numberedName(_ document: JSONDocument, _ index: Int) -> (String, Int32)? {
        guard document.kind(index) == .string else { return nil }
        return document.withStringBytes(index) { bytes in
            switch names.find(orAdd: bytes, hash: XXH3.hash64(bytes)) {
            case .found(let id): return (nameValues[id], Int32(id))
            case .unavailable: return (String(decoding: bytes, as: UTF8.self), -1)
            case .added(let id):
                let value = String(decoding: bytes, as: UTF8.self)
                nameValues.append(value)
                return (value, Int32(id))
            }
        }
    }

    /// The figures of the object in `slot`.
    func figures(at slot: Int) -> PersonaFigures { figures[slot] }

    /// True when every trait and the model of the object in `slot` has a number.
    func isFullyNamed(_ slot: Int) -> Bool { fullyNamed[slot] }

    /// The trait numbers of the object in `slot`, in the order of its traits.
    func traitIDs(at slot: Int) -> ArraySlice<Int32> {
        traitIDs[(slot == 0 ? 0 : Int(traitIDEnds[slot - 1]))..<Int(traitIDEnds[slot])]
    }

    /// The model number of the object in `slot`, -1 without a model.
    func modelID(at slot: Int) -> Int32 { modelIDs[slot] }

    /// Names numbered so far.
    var nameCount: Int { nameValues.count }

    /// The name numbered `id`.
    func name(_ id: Int32) -> String { nameValues[Int(id)] }
}

/// Byte strings numbered in the order first added, found by their XXH3 hash in an open-addressing
/// table (a match confirmed by comparing the bytes), the bytes copied into blocks of memory this
/// table owns. Hand-written rather than a Dictionary of arrays: the key is already a good hash,
/// and SipHash over it, an array per string and Array's element-wise append of raw bytes cost
/// more than the look-up does.
final class ByteStringTable {
    enum Lookup {
        case found(Int)
        case added(Int)
        /// Not held, and not added: the table holds `limit` strings, or another string has the hash.
        case unavailable
    }

    static let blockSize = 64 << 10

    // Unchecked: a table belongs to one `PersonaFiguresCache`, used by one thread at a time; the
    // dynamic exclusivity checks cost more than the look-up.

    let limit: Int
    @exclusivity(unchecked) private var hashes: [UInt64] = []
    /// The number in each table position, -1 for an empty one.
    @exclusivity(unchecked) private var numbers: [Int32] = []
    /// Where each string's bytes are, and how many.
    @exclusivity(unchecked) private var starts: [UnsafeRawPointer] = []
    @exclusivity(unchecked) private var counts: [Int] = []
    @exclusivity(unchecked) private var blocks: [UnsafeMutableRawPointer] = []
    @exclusivity(unchecked) private var free: UnsafeMutableRawPointer?
    @exclusivity(unchecked) private var room = 0

    init(limit: Int) {
        self.limit = limit
    }

    deinit {
        for block in blocks { block.deallocate() }
    }

    var count: Int { counts.count }

    /// The number of `bytes`, added as the next number when it is new.
    func find(orAdd bytes: UnsafeRawBufferPointer, hash: UInt64) -> Lookup {
        if numbers.isEmpty { resize(64) }
        let mask = numbers.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let number = Int(numbers[i])
            if number < 0 { break }
            if hashes[i] == hash {
                let held = UnsafeRawBufferPointer(start: starts[number], count: counts[number])
                return held.elementsEqualBytes(bytes) ? .found(number) : .unavailable
            }
            i = (i &+ 1) & mask
        }
        guard count < limit else { return .unavailable }
        let number = count
        hashes[i] = hash
        numbers[i] = Int32(number)
        starts.append(copy(bytes))
        counts.append(bytes.count)
        if 2 * count > numbers.count { resize(2 * numbers.count) }
        return .added(number)
    }

    /// A copy of `bytes` in this table's blocks.
    private func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        if bytes.count > room || free == nil {
            let size = Swift.max(Self.blockSize, bytes.count)
            let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            blocks.append(block)
            free = block
            room = size
        }
        let start = free!
        if let base = bytes.baseAddress { start.copyMemory(from: base, byteCount: bytes.count) }
        free = start + bytes.count
        room -= bytes.count
        return UnsafeRawPointer(start)
    }

    /// Rebuilds the table with `size` positions (a power of two).
    private func resize(_ size: Int) {
        var newHashes = [UInt64](repeating: 0, count: size)
        var newNumbers = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for i in numbers.indices where numbers[i] >= 0 {
            var j = Int(truncatingIfNeeded: hashes[i]) & mask
            while newNumbers[j] >= 0 { j = (j &+ 1) & mask }
            newHashes[j] = hashes[i]
            newNumbers[j] = numbers[i]
        }
        hashes = newHashes
        numbers = newNumbers
    }
}
