/* bigmem.h — memory for the large tables the redirect path and the click
 * flusher probe at random (the links, their counters, the unique-click
 * window).
 *
 * A probe of such a table lands on a page of its own: on 4 KiB pages that
 * is a cache miss plus a walk of the page tables (itself several misses
 * under a virtual machine's nested tables).  Memory from here is asked of
 * the kernel in 2 MiB-aligned blocks marked MADV_HUGEPAGE, so that where
 * transparent huge pages are enabled (the "always" and "madvise" modes) a
 * probe costs the one miss.  Elsewhere it is ordinary memory. */
#ifndef TK_TRACKING_BIGMEM_H
#define TK_TRACKING_BIGMEM_H

#include <stddef.h>

/* Zeroed memory of at least size bytes, NULL when out of memory.  Sizes
 * below BIGMEM_MIN come from the ordinary allocator (a huge page for them
 * would waste more than it saves). */
#define BIGMEM_MIN (512u * 1024)
void *bigmem_alloc(size_t size);

/* Returns what bigmem_alloc(size) gave (same size); NULL is ignored. */
void bigmem_free(void *p, size_t size);

/* An append-only arena of such memory: pieces are never freed one by one,
 * all go with arena_free. */
struct bigmem_arena {
	struct bigmem_block *blocks;
	char *next, *end;
};

/* size bytes aligned to align (a power of two, at most 4096), zeroed;
 * NULL when out of memory or size exceeds a block (BIGMEM_BLOCK). */
#define BIGMEM_BLOCK (2u * 1024 * 1024)
void *bigmem_arena_take(struct bigmem_arena *a, size_t size, size_t align);
void bigmem_arena_free(struct bigmem_arena *a);

#endif
