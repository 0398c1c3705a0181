import CSystem

#if canImport(Glibc)
    import Glibc
#endif

/// A zero-filled block of memory for a large random-access table that grows: on transparent
/// huge pages where the system allows them (`madvise(MADV_HUGEPAGE)`; Linux leaves that mode to
/// the program by default), and grown in place (`mremap` moves the pages, it copies nothing).
///
/// Why: the LSH band tables are probed and filled at random, once per band per record, on the
/// serial in-order path, and double as they fill. Memory fresh from the kernel costs about 1 ms
/// per MB to fault in here (a VM); in 4 KB pages a 7 MB table takes 1,800 faults (twice each: a
/// read maps the shared zero page, the write copies it) and most probes miss the TLB, and a new
/// table per doubling touches twice the final size in all. Measured with `perf` on the 100 MB
/// bench file at `--threads 2`: the faults of `BandTables.grow` were a quarter of the writer
/// thread's time. Blocks under 1 MB come from `calloc`.
struct ZeroedMemory {
    /// The zeroed bytes (those written since stay as written across `grow`).
    private(set) var base: UnsafeMutableRawPointer
    /// Bytes usable from `base`.
    private(set) var byteCount: Int
    /// The mapping (its start, its length, and `base`'s offset in it), or nil when `base` came
    /// from `calloc`.
    private var mapping: (start: UnsafeMutableRawPointer, length: Int, offset: Int)?

    private static let hugePage = 2 << 20

    /// `byteCount` zeroed bytes; stops the program when memory is exhausted.
    init(byteCount: Int) {
        self.byteCount = byteCount
        if byteCount >= Self.hugePage / 2 {
            // Room to start on a huge-page boundary.
            let length = Self.mappedLength(byteCount + Self.hugePage)
            guard let start = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                start != MAP_FAILED
            else { fatalError("out of memory for a table of \(byteCount) bytes") }
            let offset = (Self.hugePage - Int(bitPattern: start) % Self.hugePage) % Self.hugePage
            base = start + offset
            mapping = (start, length, offset)
            // Advice only: where huge pages are off, the table works in small pages.
            _ = madvise(start, length, MADV_HUGEPAGE)
        } else {
            guard let block = calloc(max(byteCount, 1), 1) else {
                fatalError("out of memory for a table of \(byteCount) bytes")
            }
            base = block
            mapping = nil
        }
    }

    /// Whole huge pages.
    private static func mappedLength(_ bytes: Int) -> Int {
        (bytes + hugePage - 1) / hugePage * hugePage
    }

    /// Grows to `newByteCount` bytes: the first `byteCount` keep their contents (`base` may
    /// move), the rest are zero.
    mutating func grow(to newByteCount: Int) {
        precondition(newByteCount >= byteCount)
        if let mapping {
            let length = Self.mappedLength(mapping.offset + newByteCount)
            if length > mapping.length {
                guard let start = soc_mremap_maymove(mapping.start, mapping.length, length), start != MAP_FAILED else {
                    fatalError("out of memory for a table of \(newByteCount) bytes")
                }
                self.mapping = (start, length, mapping.offset)
                base = start + mapping.offset
            }
        } else if newByteCount >= Self.hugePage / 2 {
            let grown = ZeroedMemory(byteCount: newByteCount)
            grown.base.copyMemory(from: base, byteCount: byteCount)
            free(base)
            self = grown
        } else {
            guard let block = realloc(base, newByteCount) else {
                fatalError("out of memory for a table of \(newByteCount) bytes")
            }
            memset(block + byteCount, 0, newByteCount - byteCount)
            base = block
        }
        byteCount = newByteCount
    }

    /// Gives the memory back.
    func release() {
        if let mapping {
            munmap(mapping.start, mapping.length)
        } else {
            free(base)
        }
    }
}
