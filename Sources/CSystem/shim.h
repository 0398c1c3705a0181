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

/// `bytes` moved up one lane, lane 0 taking lane 15 of `before` (the block before): lane k holds
/// the byte before byte k. Two SSE2 byte shifts (`pslldq`, `psrldq`) and an `or`; Swift's SIMD
/// types have no lane shift (TextMeasure reloaded the block one byte back and classified it again).
static inline soc_bytes16 soc_shift_in16(soc_bytes16 bytes, soc_bytes16 before) {
#if defined(__SSE2__)
    return (soc_bytes16)_mm_or_si128(_mm_slli_si128((__m128i)bytes, 1), _mm_srli_si128((__m128i)before, 15));
#else
    soc_bytes16 shifted;
    shifted[0] = before[15];
    for (int k = 1; k < 16; k++) shifted[k] = bytes[k - 1];
    return shifted;
#endif
}

/// The sum of the sixteen byte lanes of `bytes`: one SSE2 `psadbw` against zero (two 8-lane
/// sums) and an add, where shifts and adds in Swift took ~20 instructions.
static inline uint32_t soc_byte_sum16(soc_bytes16 bytes) {
#if defined(__SSE2__)
    __m128i sums = _mm_sad_epu8((__m128i)bytes, _mm_setzero_si128());
    return (uint32_t)_mm_cvtsi128_si32(sums) + (uint32_t)_mm_extract_epi16(sums, 4);
#else
    uint32_t sum = 0;
    for (int k = 0; k < 16; k++) sum += bytes[k];
    return sum;
#endif
}

/// All ones in lanes `seen`...15, zero in the lanes before (0 ≤ `seen` ≤ 16): one unaligned load
/// from a table of sixteen zero bytes and sixteen 0xFF, where a compare against `seen` broadcast
/// to every lane took seven SSE2 instructions (TextMeasure's last block, once a message).
static inline soc_bytes16 soc_lanes_from16(uint32_t seen) {
    static const uint8_t table[32] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    };
    soc_bytes16 lanes;
    __builtin_memcpy(&lanes, table + 16 - seen, 16);
    return lanes;
}

/// Four band-table slots at `slots` (`hash << 32 | record + 1` each, 0 when empty) against
/// `hash`: bit 2k is set when slot k is empty (its low half is 0: a record is stored as
/// `record + 1`), bit 2k + 1 when slot k's high half is `hash`. A 32-bit lane compare per pair
/// of slots, two packs and a `pmovmskb`, where a probe loop took a mispredicted branch per slot
/// that ended a chain (BandTables.lookUp).
static inline uint32_t soc_probe4(const uint64_t *slots, uint32_t hash) {
#if defined(__SSE2__)
    // One compare per pair of slots against (0, hash) in each slot's (low, high) lanes.
    __m128i wanted = _mm_set1_epi64x((long long)((uint64_t)hash << 32));
    __m128i a, b;
    __builtin_memcpy(&a, slots, 16);
    __builtin_memcpy(&b, slots + 2, 16);
    __m128i lanes = _mm_packs_epi32(_mm_cmpeq_epi32(a, wanted), _mm_cmpeq_epi32(b, wanted));
    return (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(lanes, lanes)) & 0xFF;
#else
    uint32_t bits = 0;
    for (int k = 0; k < 4; k++) {
        bits |= (uint32_t)((uint32_t)slots[k] == 0) << (2 * k);
        bits |= (uint32_t)((uint32_t)(slots[k] >> 32) == hash) << (2 * k + 1);
    }
    return bits;
#endif
}

/// A hint that the cache line holding `address` will be written soon (`prefetchw` where the
/// target has it, else `prefetcht0`).
static inline void soc_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/// Whether this CPU and OS run AVX2 (CPUID leaf 7's AVX2 bit, and the OS saving the YMM state:
/// OSXSAVE, and XCR0's SSE and AVX bits).
static inline int soc_has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & bit_OSXSAVE) || !(c & bit_AVX)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX2) != 0;
}

/// `GateBitmap`'s pass over `blocks` 64-byte blocks at `p` with AVX2 (call only when
/// `soc_has_avx2()`): bit k of `out[2 * w]` is set when byte `64 * w + k` is `b0` or `b1`, and
/// `out[2 * w + 1]` is the last block before `w` with a bit set (`last` before the first);
/// returns the last block with a bit set. Two 32-byte compares per byte value and block where
/// SSE2 took four (the Swift SIMD loop: ~43 instructions a block).
__attribute__((target("avx2")))
static inline int64_t soc_gate_blocks_avx2(const uint8_t *p, int64_t blocks, uint8_t b0, uint8_t b1,
                                           uint64_t *out, int64_t last) {
    const __m256i x0 = _mm256_set1_epi8((char)b0);
    const __m256i x1 = _mm256_set1_epi8((char)b1);
    for (int64_t w = 0; w < blocks; w++) {
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(p + 64 * w));
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(p + 64 * w + 32));
        uint32_t m0 = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v0, x0), _mm256_cmpeq_epi8(v0, x1)));
        uint32_t m1 = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v1, x0), _mm256_cmpeq_epi8(v1, x1)));
        uint64_t bits = (uint64_t)m0 | (uint64_t)m1 << 32;
        out[2 * w] = bits;
        out[2 * w + 1] = (uint64_t)last;
        last = bits ? w : last;
    }
    return last;
}
#endif
