/* catalog_text.h — text of the product library as search sees it: folding,
 * compact normal form, query terms, the n-grams of the search index and the
 * character-bigram similarity of two titles.
 *
 * All strings are UTF-8.  Nothing here allocates: callers pass buffers with
 * their sizes and get TK_ELIMIT (or false) when a buffer would overflow. */
#ifndef TK_CATALOG_TEXT_H
#define TK_CATALOG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Limits on a search query from outside. */
#define CATALOG_QUERY_MAX 256      /* bytes of the raw query */
#define CATALOG_QUERY_TERMS 8      /* terms after splitting */
#define CATALOG_TERM_MAX 64        /* characters of one term */
/* A trigram index matches terms of at least this many characters; shorter
 * terms need the stores' bigram indexes. */
#define CATALOG_TRIGRAM_MIN 3


/* Whether s (len bytes) is well-formed UTF-8 with no control characters
 * (U+0000..U+001F, U+007F). */
bool catalog_text_clean(const char *s, size_t len);
/* The same, but newlines and tabs are allowed (templates). */
bool catalog_text_clean_multiline(const char *s);

/* The compact normal form used by the search index and by queries:
 * full-width ASCII folded to ASCII, ASCII letters lower-cased, separators
 * (white space and punctuation, see catalog_text.c) removed.  A '.' is kept
 * only between two digits ("1.5l").  out holds `size` bytes; false when it
 * does not fit.  Every query term is a substring of the compact form of any
 * text that contains it, which is what makes substring search exact. */
bool catalog_text_compact(const char *s, size_t len, char *out, size_t size);

/* The number of characters (code points) of well-formed UTF-8. */
size_t catalog_text_chars(const char *s);

/* A search query split into terms, each in compact form. */
struct catalog_terms {
	int n;
	struct catalog_term {
		char text[CATALOG_TERM_MAX * 4 + 1];
		int chars;
	} term[CATALOG_QUERY_TERMS];
};

/* Splits a query at separators into compact terms, dropping duplicates.
 * TK_EINVAL when nothing searchable is left or the query is not UTF-8,
 * TK_ELIMIT beyond CATALOG_QUERY_MAX bytes, CATALOG_QUERY_TERMS terms or
 * CATALOG_TERM_MAX characters per term. */
enum tk_rc catalog_terms_parse(const char *query, struct catalog_terms *out,
			       struct tk_error *err);

/* The index side of short terms: every pair of adjacent characters of a
 * compact string and, alone, its last character, separated by spaces and
 * appended to out (which is NUL-terminated, `size` bytes).  A two-character
 * term occurs in the string exactly when it is one of its pairs; a
 * one-character term exactly when some pair starts with it or it is the
 * last character.  False when out is too small. */
bool catalog_text_bigrams(const char *compact, char *out, size_t size);

/* Whether every term has at least CATALOG_TRIGRAM_MIN characters (a
 * search a trigram index answers alone). */
bool catalog_terms_all_long(const struct catalog_terms *t);

/* Up to CATALOG_GRAMS_MAX three-character substrings spread evenly over a
 * compact string, for "shares a trigram with" (substitute candidates);
 * none when it has fewer than three characters. */
#define CATALOG_GRAMS_MAX 16
struct catalog_grams {
	int n;
	char gram[CATALOG_GRAMS_MAX][3 * 4 + 1];
};
void catalog_text_trigrams(const char *compact, struct catalog_grams *out);

/* Character-bigram similarity of two compact strings: the Dice coefficient
 * 2|A∩B| / (|A|+|B|) over their sets of adjacent character pairs, in per
 * mille (0..1000).  Strings of fewer than two characters compare equal
 * only to themselves.  Only the first CATALOG_SIM_CHARS characters count. */
#define CATALOG_SIM_CHARS 256
int catalog_text_similarity(const char *a, const char *b);

/* Removes every occurrence of `part` (compact) from compact string s, in
 * place; used to compare titles without their brand. */
void catalog_text_remove(char *s, const char *part);

/* Removes the marketing words shops pad titles with (包邮, 正品, 爆款,
 * 百亿补贴, ... see catalog_text.c) from compact string s, in place, so
 * that similarity compares what the products are, not how they are sold. */
void catalog_text_strip_noise(char *s);

#endif
