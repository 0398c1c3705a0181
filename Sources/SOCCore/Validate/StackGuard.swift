#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Glibc)
    /// glibc's `pthread_getattr_np`, which Swift's Glibc module leaves out (it is a GNU extension, declared
    /// only under `_GNU_SOURCE`). Both arguments and the result are plain integers and a pointer, passed
    /// the same way by Swift and C on the platforms Swift supports.
    @_silgen_name("pthread_getattr_np")
    private func threadAttributes(_ thread: pthread_t, _ attributes: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

/// Tells a recursive walk when the current thread's stack is nearly used up, so that it can stop
/// with a diagnosis instead of crashing. The stack's bounds are asked of the thread library once
/// per thread (a stage may be run on different threads from one batch to the next).
struct StackGuard {
    /// Kept free below the lowest address a walk may reach: what the leaves need (PCRE2's JIT
    /// stack of 32 KiB, message formatting) with room to spare.
    static let reserve = 192 << 10
    private var thread: pthread_t?
    private var lowest: UInt = 0

    /// Reads this thread's stack bounds, unless they are already known.
    mutating func prepare() {
        let current = pthread_self()
        if let thread, pthread_equal(thread, current) != 0 { return }
        thread = current
        let here = Self.address()
        var low: UInt = 0
        var size: Int = 0
        #if canImport(Glibc)
            var attributes = pthread_attr_t()
            if threadAttributes(current, &attributes) == 0 {
                var base: UnsafeMutableRawPointer?
                if pthread_attr_getstack(&attributes, &base, &size) == 0, let base { low = UInt(bitPattern: base) }
                pthread_attr_destroy(&attributes)
            }
        #elseif canImport(Darwin)
            let top = UInt(bitPattern: pthread_get_stackaddr_np(current))
            size = pthread_get_stacksize_np(current)
            low = top - UInt(size)
        #endif
        if low == 0 || low >= here {
            // Unknown bounds: assume the smallest stack threads commonly get (512 KiB).
            low = here &- (512 << 10)
        }
        lowest = low + UInt(Self.reserve)
    }

    /// True when the stack has grown to within `reserve` bytes of its end.
    func isExhausted() -> Bool {
        Self.address() < lowest
    }

    /// An address in the caller's frame.
    @inline(never)
    static func address() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
