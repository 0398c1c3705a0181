/// The strings one scrubbed text became: none (dropped), one (changed in place: nearly every
/// changed message, a speaker label removed) or several (split). One piece is held as it is,
/// with no array around it: the outer array made and freed per changed message cost about
/// 500 instructions each (allocation, release, element destruction; callgrind, real20.jsonl,
/// --threads 1).
public struct ScrubPieces: Sendable, Equatable, RandomAccessCollection, MutableCollection,
    ExpressibleByArrayLiteral
{
    private enum Storage: Sendable, Equatable {
        case none
        case one([UInt8])
        /// Two or more.
        case many([[UInt8]])
    }
    private var storage: Storage

    /// No pieces.
    public init() { storage = .none }

    /// The pieces of `pieces`.
    public init(_ pieces: [[UInt8]]) {
        switch pieces.count {
        case 0: storage = .none
        case 1: storage = .one(pieces[0])
        default: storage = .many(pieces)
        }
    }

    /// One piece.
    public init(single piece: [UInt8]) { storage = .one(piece) }

    public init(arrayLiteral elements: [UInt8]...) { self.init(elements) }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .none: return 0
        case .one: return 1
        case .many(let pieces): return pieces.count
        }
    }

    public subscript(position: Int) -> [UInt8] {
        get {
            switch storage {
            case .one(let piece):
                precondition(position == 0, "ScrubPieces index out of range")
                return piece
            case .many(let pieces): return pieces[position]
            case .none: preconditionFailure("ScrubPieces index out of range")
            }
        }
        set {
            switch storage {
            case .one:
                precondition(position == 0, "ScrubPieces index out of range")
                storage = .one(newValue)
            case .many(var pieces):
                // Emptied first, so the array is not copied to be changed.
                storage = .none
                pieces[position] = newValue
                storage = .many(pieces)
            case .none: preconditionFailure("ScrubPieces index out of range")
            }
        }
    }

    /// The pieces as an array.
    public var array: [[UInt8]] {
        switch storage {
        case .none: return []
        case .one(let piece): return [piece]
        case .many(let pieces): return pieces
        }
    }

    /// Replaces the pieces in `range` by `newPieces`.
    mutating func replaceSubrange(_ range: Range<Int>, with newPieces: [[UInt8]]) {
        var all = array
        storage = .none
        all.replaceSubrange(range, with: newPieces)
        self = ScrubPieces(all)
    }

    /// True when some piece has a byte above 0x7F. Read where the pieces lie: through the
    /// collection (a copy of each change's outcome and its piece) it retained and released
    /// three arrays per changed message (callgrind, real20.jsonl, --threads 1).
    var hasNonASCII: Bool {
        switch storage {
        case .none: return false
        case .one(let piece): return piece.withUnsafeBytes { !JSONSplice.isASCII($0) }
        case .many(let pieces):
            for k in pieces.indices where pieces[k].withUnsafeBytes({ !JSONSplice.isASCII($0) }) { return true }
            return false
        }
    }

    /// The bytes of all pieces together, read where they lie (no piece copied or retained).
    var byteCount: Int {
        switch storage {
        case .none: return 0
        case .one(let piece): return piece.count
        case .many(let pieces):
            var total = 0
            for k in pieces.indices { total += pieces[k].count }
            return total
        }
    }

    /// `body` of piece `k`'s bytes, read where they lie.
    func withPiece<R>(_ k: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch storage {
        case .one(let piece):
            precondition(k == 0, "ScrubPieces index out of range")
            return piece.withUnsafeBytes(body)
        case .many(let pieces): return pieces[k].withUnsafeBytes(body)
        case .none: preconditionFailure("ScrubPieces index out of range")
        }
    }

    /// Removes the last `k` pieces.
    mutating func removeLast(_ k: Int) {
        guard k > 0 else { return }
        var all = array
        storage = .none
        all.removeLast(k)
        self = ScrubPieces(all)
    }
}
