/* bigmem.c — 2 MiB-aligned anonymous mappings advised to use huge pages. */
#include "tracking/bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 * 1024 * 1024)

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

void *bigmem_alloc(size_t size)
{
	if (size < BIGMEM_MIN)
		return calloc(1, size ? size : 1);
	size_t len = round_up(size, HUGE_PAGE);
	if (len < size)
		return NULL; /* wrapped */
	/* a huge page must start on a 2 MiB boundary: map one page more than
	 * needed and give back what lies outside the aligned span */
	char *raw = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	char *p = (char *)round_up((uintptr_t)raw, HUGE_PAGE);
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	munmap(p + len, (size_t)(raw + HUGE_PAGE - p));
	/* advice only: without transparent huge pages the memory is the same,
	 * on small pages */
	(void)madvise(p, len, MADV_HUGEPAGE);
	return p;
}

void bigmem_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size < BIGMEM_MIN)
		free(p);
	else
		munmap(p, round_up(size, HUGE_PAGE));
}

struct bigmem_block {
	struct bigmem_block *next;
};

void *bigmem_arena_take(struct bigmem_arena *a, size_t size, size_t align)
{
	if (size > BIGMEM_BLOCK - 4096 || align == 0 || align > 4096 || (align & (align - 1)))
		return NULL;
	char *p = a->next ? (char *)round_up((uintptr_t)a->next, align) : NULL;
	if (!p || p > a->end || (size_t)(a->end - p) < size) {
		struct bigmem_block *b = bigmem_alloc(BIGMEM_BLOCK);
		if (!b)
			return NULL;
		b->next = a->blocks;
		a->blocks = b;
		a->end = (char *)b + BIGMEM_BLOCK;
		/* the block's link sits in its first line; pieces start after */
		p = (char *)round_up((uintptr_t)(b + 1), align);
	}
	a->next = p + size;
	return p; /* fresh mappings are zeroed and never reused */
}

void bigmem_arena_free(struct bigmem_arena *a)
{
	for (struct bigmem_block *b = a->blocks, *next; b; b = next) {
		next = b->next;
		bigmem_free(b, BIGMEM_BLOCK);
	}
	a->blocks = NULL;
	a->next = a->end = NULL;
}
