// XXH_INLINE_ALL makes every xxHash function static inline, so XXH3 is inlined into Swift callers
// on the hot path (one call per shingle) instead of crossing a shared-library boundary.
#define XXH_INLINE_ALL
#include <xxhash.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/// One 16-byte lane pair of XXH3's stripe accumulation (`XXH3_accumulate_512_sse2`'s loop body):
/// `acc` plus the input's words swapped, plus the product of the low and high halves of the
/// input xored with the secret.
static inline __m128i soc_xxh3_accumulate16(__m128i acc, const uint8_t *input, const uint8_t *secret) {
    __m128i const data = _mm_loadu_si128((const __m128i *)(const void *)input);
    __m128i const key = _mm_xor_si128(data, _mm_loadu_si128((const __m128i *)(const void *)secret));
    __m128i const product = _mm_mul_epu32(key, _mm_shuffle_epi32(key, _MM_SHUFFLE(0, 3, 0, 1)));
    return _mm_add_epi64(product, _mm_add_epi64(acc, _mm_shuffle_epi32(data, _MM_SHUFFLE(1, 0, 3, 2))));
}

/// `XXH3_scrambleAcc_sse2` of one lane pair.
static inline __m128i soc_xxh3_scramble16(__m128i acc, const uint8_t *secret) {
    __m128i const prime32 = _mm_set1_epi32((int)XXH_PRIME32_1);
    __m128i const key = _mm_xor_si128(
        _mm_xor_si128(acc, _mm_srli_epi64(acc, 47)), _mm_loadu_si128((const __m128i *)(const void *)secret));
    __m128i const low = _mm_mul_epu32(key, prime32);
    __m128i const high = _mm_mul_epu32(_mm_shuffle_epi32(key, _MM_SHUFFLE(0, 3, 0, 1)), prime32);
    return _mm_add_epi64(low, _mm_slli_epi64(high, 32));
}

/// A 64-byte stripe into the four lane pairs.
#define SOC_XXH3_STRIPE(p, s)                                  \
    do {                                                       \
        a0 = soc_xxh3_accumulate16(a0, (p), (s));              \
        a1 = soc_xxh3_accumulate16(a1, (p) + 16, (s) + 16);    \
        a2 = soc_xxh3_accumulate16(a2, (p) + 32, (s) + 32);    \
        a3 = soc_xxh3_accumulate16(a3, (p) + 48, (s) + 48);    \
    } while (0)

/// `XXH3_64bits_withSeed(input, length, seed)` for `length` over 240 and `seed` not 0: xxHash
/// 0.8's `XXH3_hashLong_64b_withSeed` with the SSE2 kernels, step for step, but for the eight
/// accumulators, held in four registers rather than memory, and each stripe's four lane pairs
/// written out (the header's loops, compiled through Swift's importer, were neither unrolled nor
/// kept in registers). Hand-written because no library form serves the static release build:
/// xxHash's own runtime dispatch (`XXH3_64bits_withSeed_dispatch`, as fast as the AVX2 form
/// below) is in Debian's shared libxxhash only, not in the static archive the release links.
static inline XXH64_hash_t soc_xxh3_64bits_long_withSeed(const void *input, size_t length, XXH64_hash_t seed) {
    const uint8_t *const bytes = (const uint8_t *)input;
    XXH_ALIGN(16) uint8_t secret[XXH_SECRET_DEFAULT_SIZE];
    __m128i const seeds = _mm_set_epi64x((long long)(0U - seed), (long long)seed);
    for (size_t i = 0; i < XXH_SECRET_DEFAULT_SIZE / 16; i++) {
        __m128i const word = _mm_loadu_si128((const __m128i *)(const void *)(XXH3_kSecret + 16 * i));
        _mm_store_si128((__m128i *)(void *)(secret + 16 * i), _mm_add_epi64(word, seeds));
    }
    __m128i a0 = _mm_set_epi64x((long long)XXH_PRIME64_1, (long long)XXH_PRIME32_3);
    __m128i a1 = _mm_set_epi64x((long long)XXH_PRIME64_3, (long long)XXH_PRIME64_2);
    __m128i a2 = _mm_set_epi64x((long long)XXH_PRIME32_2, (long long)XXH_PRIME64_4);
    __m128i a3 = _mm_set_epi64x((long long)XXH_PRIME32_1, (long long)XXH_PRIME64_5);
    // Blocks of 16 stripes (the secret's 192 bytes, 8 a stripe), each followed by a scramble.
    size_t const blocks = (length - 1) / 1024;
    for (size_t n = 0; n < blocks; n++) {
        const uint8_t *const block = bytes + n * 1024;
        for (size_t s = 0; s < 16; s++) SOC_XXH3_STRIPE(block + 64 * s, secret + 8 * s);
        a0 = soc_xxh3_scramble16(a0, secret + 128);
        a1 = soc_xxh3_scramble16(a1, secret + 144);
        a2 = soc_xxh3_scramble16(a2, secret + 160);
        a3 = soc_xxh3_scramble16(a3, secret + 176);
    }
    // The last block's whole stripes, then the input's last 64 bytes.
    size_t const stripes = ((length - 1) - 1024 * blocks) / 64;
    const uint8_t *const last = bytes + blocks * 1024;
    for (size_t s = 0; s < stripes; s++) SOC_XXH3_STRIPE(last + 64 * s, secret + 8 * s);
    SOC_XXH3_STRIPE(bytes + length - 64, secret + XXH_SECRET_DEFAULT_SIZE - 64 - 7);
    XXH_ALIGN(16) xxh_u64 acc[8];
    _mm_store_si128((__m128i *)(void *)acc, a0);
    _mm_store_si128((__m128i *)(void *)(acc + 2), a1);
    _mm_store_si128((__m128i *)(void *)(acc + 4), a2);
    _mm_store_si128((__m128i *)(void *)(acc + 6), a3);
    return XXH3_mergeAccs(acc, secret + 11, (xxh_u64)length * XXH_PRIME64_1);
}

#undef SOC_XXH3_STRIPE
#endif

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>
#define SOC_XXH3_AVX2 1

/// Whether the CPU and the OS run AVX2 code (CPUID's AVX2 bit, and XGETBV's SSE and AVX state
/// enabled): `soc_xxh3_64bits_long_withSeed_avx2` may be called.
static inline int soc_cpu_has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)) || !(c & (1u << 28))) return 0;
    unsigned low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    if ((low & 6) != 6 || __get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & (1u << 5)) != 0;
}

/// `soc_xxh3_accumulate16` of two lane pairs.
__attribute__((__target__("avx2"))) static inline __m256i soc_xxh3_accumulate32(
    __m256i acc, const uint8_t *input, const uint8_t *secret) {
    __m256i const data = _mm256_loadu_si256((const __m256i *)(const void *)input);
    __m256i const key = _mm256_xor_si256(data, _mm256_loadu_si256((const __m256i *)(const void *)secret));
    __m256i const product = _mm256_mul_epu32(key, _mm256_shuffle_epi32(key, _MM_SHUFFLE(0, 3, 0, 1)));
    return _mm256_add_epi64(product, _mm256_add_epi64(acc, _mm256_shuffle_epi32(data, _MM_SHUFFLE(1, 0, 3, 2))));
}

/// `soc_xxh3_scramble16` of two lane pairs.
__attribute__((__target__("avx2"))) static inline __m256i soc_xxh3_scramble32(__m256i acc, const uint8_t *secret) {
    __m256i const prime32 = _mm256_set1_epi32((int)XXH_PRIME32_1);
    __m256i const key = _mm256_xor_si256(
        _mm256_xor_si256(acc, _mm256_srli_epi64(acc, 47)), _mm256_loadu_si256((const __m256i *)(const void *)secret));
    __m256i const low = _mm256_mul_epu32(key, prime32);
    __m256i const high = _mm256_mul_epu32(_mm256_shuffle_epi32(key, _MM_SHUFFLE(0, 3, 0, 1)), prime32);
    return _mm256_add_epi64(low, _mm256_slli_epi64(high, 32));
}

/// `soc_xxh3_64bits_long_withSeed` with 32-byte lanes (`XXH3_accumulate_512_avx2`'s kernels),
/// for CPUs with AVX2 (`soc_cpu_has_avx2`): half the instructions a stripe.
__attribute__((__target__("avx2"))) static inline XXH64_hash_t soc_xxh3_64bits_long_withSeed_avx2(
    const void *input, size_t length, XXH64_hash_t seed) {
    const uint8_t *const bytes = (const uint8_t *)input;
    XXH_ALIGN(32) uint8_t secret[XXH_SECRET_DEFAULT_SIZE];
    __m256i const seeds = _mm256_set_epi64x((long long)(0U - seed), (long long)seed, (long long)(0U - seed), (long long)seed);
    for (size_t i = 0; i < XXH_SECRET_DEFAULT_SIZE / 32; i++) {
        __m256i const word = _mm256_loadu_si256((const __m256i *)(const void *)(XXH3_kSecret + 32 * i));
        _mm256_store_si256((__m256i *)(void *)(secret + 32 * i), _mm256_add_epi64(word, seeds));
    }
    __m256i a0 = _mm256_set_epi64x(
        (long long)XXH_PRIME64_3, (long long)XXH_PRIME64_2, (long long)XXH_PRIME64_1, (long long)XXH_PRIME32_3);
    __m256i a1 = _mm256_set_epi64x(
        (long long)XXH_PRIME32_1, (long long)XXH_PRIME64_5, (long long)XXH_PRIME32_2, (long long)XXH_PRIME64_4);
    size_t const blocks = (length - 1) / 1024;
    for (size_t n = 0; n < blocks; n++) {
        const uint8_t *const block = bytes + n * 1024;
        for (size_t s = 0; s < 16; s++) {
            a0 = soc_xxh3_accumulate32(a0, block + 64 * s, secret + 8 * s);
            a1 = soc_xxh3_accumulate32(a1, block + 64 * s + 32, secret + 8 * s + 32);
        }
        a0 = soc_xxh3_scramble32(a0, secret + 128);
        a1 = soc_xxh3_scramble32(a1, secret + 160);
    }
    size_t const stripes = ((length - 1) - 1024 * blocks) / 64;
    const uint8_t *const last = bytes + blocks * 1024;
    for (size_t s = 0; s < stripes; s++) {
        a0 = soc_xxh3_accumulate32(a0, last + 64 * s, secret + 8 * s);
        a1 = soc_xxh3_accumulate32(a1, last + 64 * s + 32, secret + 8 * s + 32);
    }
    a0 = soc_xxh3_accumulate32(a0, bytes + length - 64, secret + XXH_SECRET_DEFAULT_SIZE - 64 - 7);
    a1 = soc_xxh3_accumulate32(a1, bytes + length - 32, secret + XXH_SECRET_DEFAULT_SIZE - 32 - 7);
    XXH_ALIGN(32) xxh_u64 acc[8];
    _mm256_store_si256((__m256i *)(void *)acc, a0);
    _mm256_store_si256((__m256i *)(void *)(acc + 4), a1);
    return XXH3_mergeAccs(acc, secret + 11, (xxh_u64)length * XXH_PRIME64_1);
}
#endif

/// `XXH3_64bits_withSeed`, its long case (over 240 bytes, seed not 0) by
/// `soc_xxh3_64bits_long_withSeed` where SSE2 is there (every x86-64), or its AVX2 form when
/// `avx2` (which only `soc_cpu_has_avx2` may set).
static inline XXH64_hash_t soc_xxh3_64bits_withSeed(const void *input, size_t length, XXH64_hash_t seed, int avx2) {
    if (length > XXH3_MIDSIZE_MAX && seed != 0) {
#if defined(SOC_XXH3_AVX2)
        if (avx2) return soc_xxh3_64bits_long_withSeed_avx2(input, length, seed);
#endif
#if defined(__SSE2__)
        return soc_xxh3_64bits_long_withSeed(input, length, seed);
#endif
    }
    (void)avx2;
    return XXH3_64bits_withSeed(input, length, seed);
}
