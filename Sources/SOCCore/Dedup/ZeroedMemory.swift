#if canImport(Glibc)
    import Glibc
#endif

/// A zero-filled block of memory for a large random-access table, on transparent huge pages
/// where the system allows them (`madvise(MADV_HUGEPAGE)`; Linux leaves that mode to the
/// program by default).
///
/// Why: the LSH band tables are probed and filled at random, once per band per record, on the
/// serial in-order path. In 4 KB pages a 7 MB table takes 1,800 page faults to zero as it is
/// first touched (twice each: a read maps the shared zero page, the write copies it) and a TLB
/// miss on most probes; measured with `perf` on the 100 MB bench file at `--threads 2`, the
/// faults of `BandTables.grow` were a quarter of the writer thread's time. A 2 MB page takes
/// one fault and one TLB entry. Blocks under 1 MB come from `calloc`, as before.
struct ZeroedMemory {
    /// The zeroed bytes.
    let base: UnsafeMutableRawPointer
    /// The mapping to unmap (its start and length), or nil when `base` came from `calloc`.
    private let mapping: (start: UnsafeMutableRawPointer, length: Int)?

    private static let hugePage = 2 << 20

    /// `byteCount` zeroed bytes; stops the program when memory is exhausted.
    init(byteCount: Int) {
        if byteCount >= Self.hugePage / 2 {
            // Room to start on a huge-page boundary; the whole 2 MB pages from there are advised.
            let length = byteCount + Self.hugePage
            let start = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let start, start != MAP_FAILED else {
                fatalError("out of memory for a table of \(byteCount) bytes")
            }
            let offset = (Self.hugePage - Int(bitPattern: start) % Self.hugePage) % Self.hugePage
            base = start + offset
            mapping = (start, length)
            let advised = (byteCount + Self.hugePage - 1) / Self.hugePage * Self.hugePage
            // Advice only: where huge pages are off, the table works in small pages.
            _ = madvise(base, advised, MADV_HUGEPAGE)
        } else {
            guard let block = calloc(max(byteCount, 1), 1) else {
                fatalError("out of memory for a table of \(byteCount) bytes")
            }
            base = block
            mapping = nil
        }
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
