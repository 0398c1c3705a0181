// XXH_INLINE_ALL makes every xxHash function static inline, so XXH3 is inlined into Swift callers
// on the hot path (one call per shingle) instead of crossing a shared-library boundary.
#define XXH_INLINE_ALL
#include <xxhash.h>
