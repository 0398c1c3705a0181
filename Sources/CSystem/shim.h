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
