// Linux calls that Swift's Glibc module does not export (they need _GNU_SOURCE), as small
// static inline functions.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>

/// The number of CPUs this process may run on (its affinity mask: taskset, cgroups cpusets),
/// or 0 when it cannot be read.
static inline int soc_affinity_cpu_count(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
    return CPU_COUNT(&set);
}

#include <sys/mman.h>

/// mremap(2) with MREMAP_MAYMOVE: resizes a private anonymous mapping, moving it if it must (its
/// pages move with it, nothing is copied); MAP_FAILED on failure.
static inline void *soc_mremap_maymove(void *old_address, size_t old_length, size_t new_length) {
    return mremap(old_address, old_length, new_length, MREMAP_MAYMOVE);
}

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Sixteen bytes as one vector; Swift imports it as SIMD16<UInt8>.
typedef uint8_t soc_bytes16 __attribute__((ext_vector_type(16)));

/// Bit k: the high bit of byte k of `bytes`. One SSE2 `pmovmskb`, which Swift's SIMD types do
/// not expose (without it a lane mask costs a multiply per eight lanes); a loop elsewhere.
static inline uint32_t soc_high_bits16(soc_bytes16 bytes) {
#if defined(__SSE2__)
    return (uint32_t)_mm_movemask_epi8((__m128i)bytes);
#else
    uint32_t bits = 0;
    for (int k = 0; k < 16; k++) bits |= (uint32_t)(bytes[k] >> 7) << k;
    return bits;
#endif
}
