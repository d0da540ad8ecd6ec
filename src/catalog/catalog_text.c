/* catalog_text.c — folding, compact normal form, query terms, index n-grams
 * and title similarity for the product library.  Pure: no I/O, no SQL.
 *
 * Chinese titles have no spaces between words, so search is by substring:
 * a term matches wherever its characters occur in a row.  Folding both the
 * index and the query into the same compact form (no separators, ASCII
 * lower case, full-width folded) keeps that exact for mixed scripts:
 * "iPhone 15" and "ｉＰｈｏｎｅ15" both become "iphone15". */
#include "catalog/catalog_text.h"

#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>

bool catalog_text_clean(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;
	while (i < len) {
		if (!utf8_next(s, len, &i, &cp))
			return false;
		if (cp < 0x20 || cp == 0x7F)
			return false;
	}
	return true;
}

bool catalog_text_clean_multiline(const char *s)
{
	size_t i = 0, len = strlen(s);
	uint32_t cp;
	while (i < len) {
		if (!utf8_next(s, len, &i, &cp))
			return false;
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F)
			return false;
	}
	return true;
}

/* Full-width ASCII and the ideographic space to ASCII; ASCII upper case to
 * lower case. */
static uint32_t fold(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	else if (cp == 0x3000)
		cp = ' ';
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

/* Separators of a folded character: white space, punctuation and
 * decorations (arrows, stars, emoji) that carry no meaning for search.
 * '.' is decided by its neighbours (see compact_walk). */
static bool is_sep(uint32_t cp)
{
	if (cp < 0x80) {
		if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || cp == '+')
			return false;
		return true;
	}
	return (cp >= 0x00A0 && cp <= 0x00BF) || cp == 0x00D7 || cp == 0x00F7 ||
	       (cp >= 0x2000 && cp <= 0x206F) ||  /* general punctuation */
	       (cp >= 0x2190 && cp <= 0x21FF) ||  /* arrows */
	       (cp >= 0x2500 && cp <= 0x27BF) ||  /* boxes, shapes, symbols, dingbats */
	       (cp >= 0x3001 && cp <= 0x3003) ||  /* 、。〃 */
	       (cp >= 0x3008 && cp <= 0x3011) ||  /* 〈〉《》「」『』【】 */
	       (cp >= 0x3014 && cp <= 0x301F) || cp == 0x30FB ||
	       (cp >= 0xFE10 && cp <= 0xFE1F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF5F && cp <= 0xFF65) || cp == 0xFEFF ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF);  /* emoji and pictographs */
}

static bool is_digit(uint32_t cp)
{
	return cp >= '0' && cp <= '9';
}

static size_t utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Walks s in folded characters, telling for each whether it is content
 * (kept) or a separator.  A '.' is content only between two digits. */
struct walker {
	const char *s;
	size_t len, i;
	uint32_t prev;      /* previous folded character, 0 at the start */
	bool have_next;
	uint32_t next;
	bool bad;
};

static void walk_init(struct walker *w, const char *s, size_t len)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	w->len = len;
	uint32_t cp;
	if (w->i < len) {
		if (utf8_next(s, len, &w->i, &cp)) {
			w->next = fold(cp);
			w->have_next = true;
		} else {
			w->bad = true;
		}
	}
}

/* The next folded character and whether it is content; false at the end
 * or on malformed UTF-8 (w->bad). */
static bool walk_step(struct walker *w, uint32_t *cp, bool *content)
{
	if (!w->have_next)
		return false;
	uint32_t c = w->next;
	w->have_next = false;
	if (w->i < w->len) {
		uint32_t n;
		if (utf8_next(w->s, w->len, &w->i, &n)) {
			w->next = fold(n);
			w->have_next = true;
		} else {
			w->bad = true;
		}
	}
	if (c == '.')
		*content = is_digit(w->prev) && w->have_next && is_digit(w->next);
	else
		*content = !is_sep(c);
	w->prev = c;
	*cp = c;
	return true;
}

bool catalog_text_compact(const char *s, size_t len, char *out, size_t size)
{
	struct walker w;
	size_t n = 0;
	uint32_t cp;
	bool content;
	if (size == 0)
		return false;
	walk_init(&w, s, len);
	while (walk_step(&w, &cp, &content)) {
		if (!content)
			continue;
		if (n + 4 >= size)
			return false;
		n += utf8_put(cp, out + n);
	}
	out[n] = '\0';
	return !w.bad;
}

size_t catalog_text_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if ((*u & 0xC0) != 0x80)
			n++;
	return n;
}

static bool term_seen(const struct catalog_terms *t, const char *s)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->term[i].text, s) == 0)
			return true;
	return false;
}

enum tk_rc catalog_terms_parse(const char *query, struct catalog_terms *out,
			       struct tk_error *err)
{
	size_t len = strlen(query);
	char cur[CATALOG_TERM_MAX * 4 + 1];
	size_t n = 0;
	int chars = 0;
	struct walker w;
	uint32_t cp;
	bool content, more = true;

	memset(out, 0, sizeof(*out));
	if (len > CATALOG_QUERY_MAX)
		return tk_fail(err, TK_ELIMIT, "query", "is %zu bytes; the limit is %d", len,
			       CATALOG_QUERY_MAX);
	walk_init(&w, query, len);
	while (more) {
		more = walk_step(&w, &cp, &content);
		if (more && content) {
			if (chars == CATALOG_TERM_MAX)
				return tk_fail(err, TK_ELIMIT, "query",
					       "a term is longer than %d characters",
					       CATALOG_TERM_MAX);
			n += utf8_put(cp, cur + n);
			chars++;
			continue;
		}
		if (chars == 0)
			continue;
		cur[n] = '\0';
		if (!term_seen(out, cur)) {
			if (out->n == CATALOG_QUERY_TERMS)
				return tk_fail(err, TK_ELIMIT, "query",
					       "has more than %d terms", CATALOG_QUERY_TERMS);
			memcpy(out->term[out->n].text, cur, n + 1);
			out->term[out->n].chars = chars;
			out->n++;
		}
		n = 0;
		chars = 0;
	}
	if (w.bad)
		return tk_fail(err, TK_EINVAL, "query", "is not valid UTF-8");
	if (out->n == 0)
		return tk_fail(err, TK_EINVAL, "query",
			       "\"%s\" has nothing to search for (only spaces or punctuation)",
			       query);
	return TK_OK;
}

/* Appends len bytes and a NUL; false when it does not fit. */
static bool put(char *out, size_t size, size_t *n, const char *s, size_t len)
{
	if (*n + len + 1 > size)
		return false;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return true;
}

bool catalog_text_bigrams(const char *compact, char *out, size_t size)
{
	size_t len = strlen(compact), n = strlen(out);
	size_t i = 0, prev_end = 0, prev_start = 0;
	uint32_t cp;
	bool have_prev = false;
	while (i < len) {
		size_t start = i;
		if (!utf8_next(compact, len, &i, &cp))
			return false;
		if (have_prev) {
			if (n > 0 && !put(out, size, &n, " ", 1))
				return false;
			if (!put(out, size, &n, compact + prev_start, i - prev_start))
				return false;
		}
		prev_start = start;
		prev_end = i;
		have_prev = true;
	}
	if (have_prev) {
		if (n > 0 && !put(out, size, &n, " ", 1))
			return false;
		if (!put(out, size, &n, compact + prev_start, prev_end - prev_start))
			return false;
	}
	return true;
}

bool catalog_terms_all_long(const struct catalog_terms *t)
{
	for (int i = 0; i < t->n; i++)
		if (t->term[i].chars < CATALOG_TRIGRAM_MIN)
			return false;
	return t->n > 0;
}

void catalog_text_trigrams(const char *compact, struct catalog_grams *out)
{
	size_t starts[CATALOG_SIM_CHARS * 4], n = 0, len = strlen(compact);
	for (size_t i = 0; i < len && n < sizeof(starts) / sizeof(starts[0]); i++)
		if (((unsigned char)compact[i] & 0xC0) != 0x80)
			starts[n++] = i;
	out->n = 0;
	if (n < CATALOG_TRIGRAM_MIN)
		return;
	size_t grams = n - 2, want = grams < CATALOG_GRAMS_MAX ? grams : CATALOG_GRAMS_MAX;
	for (size_t k = 0; k < want; k++) {
		size_t g = k * grams / want;
		size_t from = starts[g], to = g + 3 < n ? starts[g + 3] : len;
		if (to - from >= sizeof(out->gram[0]))
			continue; /* not three characters of UTF-8: not compact */
		memcpy(out->gram[out->n], compact + from, to - from);
		out->gram[out->n][to - from] = '\0';
		out->n++;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The sorted, distinct bigrams of s (at most CATALOG_SIM_CHARS chars). */
static int bigram_set(const char *s, uint64_t *set)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp, prev = 0;
	int chars = 0, n = 0;
	while (i < len && chars < CATALOG_SIM_CHARS) {
		if (!utf8_next(s, len, &i, &cp))
			break;
		if (chars > 0)
			set[n++] = ((uint64_t)prev << 21) | cp;
		prev = cp;
		chars++;
	}
	qsort(set, (size_t)n, sizeof(set[0]), cmp_u64);
	int u = 0;
	for (int k = 0; k < n; k++)
		if (u == 0 || set[u - 1] != set[k])
			set[u++] = set[k];
	return u;
}

int catalog_text_similarity(const char *a, const char *b)
{
	uint64_t sa[CATALOG_SIM_CHARS], sb[CATALOG_SIM_CHARS];
	int na = bigram_set(a, sa), nb = bigram_set(b, sb);
	if (na == 0 || nb == 0)
		return strcmp(a, b) == 0 ? 1000 : 0;
	int i = 0, j = 0, common = 0;
	while (i < na && j < nb) {
		if (sa[i] == sb[j])
			common++, i++, j++;
		else if (sa[i] < sb[j])
			i++;
		else
			j++;
	}
	return (int)((int64_t)2000 * common / (na + nb));
}

void catalog_text_remove(char *s, const char *part)
{
	size_t plen = strlen(part);
	if (plen == 0)
		return;
	char *p;
	while ((p = strstr(s, part)) != NULL)
		memmove(p, p + plen, strlen(p + plen) + 1);
}

/* Title padding that says nothing about the product.  Longer words first,
 * so that 官方正品 goes before 正品 leaves 官方 behind. */
static const char *const noise_words[] = {
	"百亿补贴", "官方正品", "正品保障", "买一送一", "顺丰速发", "官方旗舰店", "旗舰店",
	"官方旗舰", "京东自营", "限时特惠", "限时秒杀", "新款", "爆款", "热销", "包邮", "正品",
	"官方", "旗舰", "自营", "特惠", "特价", "秒杀", "现货", "促销", "清仓", "网红", "同款",
	"学生党", "顺丰", "推荐", "礼盒装", "家庭装", "大容量", "实惠装",
};

void catalog_text_strip_noise(char *s)
{
	for (size_t i = 0; i < sizeof(noise_words) / sizeof(noise_words[0]); i++)
		catalog_text_remove(s, noise_words[i]);
}
