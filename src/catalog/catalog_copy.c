/* catalog_copy.c — rendering copy-text templates per channel, with escaping
 * and length limits.  Pure: no I/O, no SQL. */
#include "catalog/catalog_copy.h"

#include <stdio.h>
#include <string.h>

#include "catalog/catalog_text.h"
#include "core/money.h"

bool catalog_channel_parse(const char *s, enum catalog_channel *out)
{
	if (strcmp(s, "text") == 0)
		*out = CHANNEL_TEXT;
	else if (strcmp(s, "wecom") == 0)
		*out = CHANNEL_WECOM;
	else if (strcmp(s, "telegram") == 0)
		*out = CHANNEL_TELEGRAM;
	else
		return false;
	return true;
}

const char *catalog_channel_name(enum catalog_channel c)
{
	switch (c) {
	case CHANNEL_TEXT: return "text";
	case CHANNEL_WECOM: return "wecom";
	case CHANNEL_TELEGRAM: return "telegram";
	}
	return "?";
}

size_t catalog_copy_limit(enum catalog_channel ch)
{
	switch (ch) {
	case CHANNEL_TEXT: return CATALOG_TEXT_LIMIT;
	case CHANNEL_WECOM: return CATALOG_WECOM_LIMIT;
	case CHANNEL_TELEGRAM: return CATALOG_TELEGRAM_LIMIT;
	}
	return 0;
}

size_t catalog_copy_measure(enum catalog_channel ch, const char *s)
{
	if (ch != CHANNEL_TELEGRAM)
		return strlen(s);
	/* UTF-16 code units: 2 for a 4-byte sequence, else 1 per character */
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if ((*u & 0xC0) == 0x80)
			continue;
		n += (*u & 0xF8) == 0xF0 ? 2 : 1;
	}
	return n;
}

/* ---- output buffer ---- */

struct out {
	char *buf;
	size_t len, cap;
	bool full;
};

static void out_put(struct out *o, const char *s, size_t len)
{
	if (o->full || o->len + len + 1 > o->cap) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = '\0';
}

static void out_str(struct out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

/* Appends a value escaped for the channel. */
static void out_value(struct out *o, enum catalog_channel ch, const char *s)
{
	if (ch == CHANNEL_TEXT) {
		out_str(o, s);
		return;
	}
	for (; *s; s++) {
		const char *rep = NULL;
		if (ch == CHANNEL_TELEGRAM) {
			switch (*s) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			}
		} else { /* WeCom markdown has no escape: use full-width look-alikes */
			switch (*s) {
			case '*': rep = "＊"; break;
			case '_': rep = "＿"; break;
			case '`': rep = "｀"; break;
			case '[': rep = "［"; break;
			case ']': rep = "］"; break;
			case '<': rep = "＜"; break;
			case '>': rep = "＞"; break;
			case '#': rep = "＃"; break;
			}
		}
		if (rep)
			out_str(o, rep);
		else
			out_put(o, s, 1);
	}
}

/* A link in WeCom markdown sits in "[text](url)": percent-encode what
 * would end or break it; in Telegram it sits in href="...". */
static void out_link(struct out *o, enum catalog_channel ch, const char *s)
{
	if (ch != CHANNEL_WECOM) {
		out_value(o, ch, s);
		return;
	}
	for (; *s; s++) {
		char enc[4];
		if (strchr(" ()<>\"[]`", *s)) {
			snprintf(enc, sizeof(enc), "%%%02X", (unsigned char)*s);
			out_str(o, enc);
		} else {
			out_put(o, s, 1);
		}
	}
}

/* ---- placeholders ---- */

enum ph { PH_TITLE, PH_BRAND, PH_SHOP, PH_PRICE, PH_COUPON, PH_FINAL, PH_COMMISSION, PH_SALES,
	  PH_LINK, PH_LOWEST, PH_COUNT };

static const char *const ph_names[PH_COUNT] = {
	"title", "brand", "shop", "price", "coupon", "final_price", "commission", "sales",
	"link", "lowest_note",
};

static int ph_find(const char *name, size_t len)
{
	for (int i = 0; i < PH_COUNT; i++)
		if (strlen(ph_names[i]) == len && memcmp(ph_names[i], name, len) == 0)
			return i;
	return -1;
}

static bool ph_present(const struct catalog_copy_values *v, int ph)
{
	switch (ph) {
	case PH_TITLE: return v->title && v->title[0];
	case PH_BRAND: return v->brand && v->brand[0];
	case PH_SHOP: return v->shop && v->shop[0];
	case PH_PRICE: return v->price > 0;
	case PH_COUPON: return v->coupon > 0;
	case PH_FINAL: return v->final_price > 0;
	case PH_COMMISSION: return v->commission > 0;
	case PH_SALES: return v->sales > 0;
	case PH_LINK: return v->link && v->link[0];
	case PH_LOWEST: return v->lowest_note && v->lowest_note[0];
	}
	return false;
}

static void ph_write(struct out *o, enum catalog_channel ch, const struct catalog_copy_values *v,
		     const char *title, int ph)
{
	char m[MONEY_YUAN_BUF];
	switch (ph) {
	case PH_TITLE: out_value(o, ch, title); break;
	case PH_BRAND: out_value(o, ch, v->brand ? v->brand : ""); break;
	case PH_SHOP: out_value(o, ch, v->shop ? v->shop : ""); break;
	case PH_PRICE: out_str(o, money_format_yuan(v->price, m)); break;
	case PH_COUPON: out_str(o, money_format_yuan(v->coupon, m)); break;
	case PH_FINAL: out_str(o, money_format_yuan(v->final_price, m)); break;
	case PH_COMMISSION: out_str(o, money_format_yuan(v->commission, m)); break;
	case PH_SALES: {
		char n[24];
		snprintf(n, sizeof(n), "%lld", (long long)v->sales);
		out_str(o, n);
		break;
	}
	case PH_LINK: out_link(o, ch, v->link ? v->link : ""); break;
	case PH_LOWEST: out_value(o, ch, v->lowest_note ? v->lowest_note : ""); break;
	}
}

/* Renders body with `title` in place of v->title.  v may be NULL to check
 * syntax only.  TK_EINVAL on a syntax error. */
static enum tk_rc render(const char *body, enum catalog_channel ch,
			 const struct catalog_copy_values *v, const char *title, struct out *o,
			 struct tk_error *err)
{
	int section = -1;   /* the open {?name}, or -1 */
	bool skipping = false;
	size_t blen = strlen(body);
	if (blen > CATALOG_TEMPLATE_MAX)
		return tk_fail(err, TK_ELIMIT, "template", "is %zu bytes; the limit is %d", blen,
			       CATALOG_TEMPLATE_MAX);
	for (const char *s = body; *s;) {
		if (s[0] == '{' && s[1] == '{') {
			if (!skipping)
				out_put(o, "{", 1);
			s += 2;
			continue;
		}
		if (s[0] == '}' && s[1] == '}') {
			if (!skipping)
				out_put(o, "}", 1);
			s += 2;
			continue;
		}
		if (s[0] == '}')
			return tk_fail(err, TK_EINVAL, "template",
				       "a lone '}' at byte %td (write }} for a literal brace)", s - body);
		if (s[0] != '{') {
			const char *next = s;
			while (*next && *next != '{' && *next != '}')
				next++;
			if (!skipping)
				out_put(o, s, (size_t)(next - s));
			s = next;
			continue;
		}
		const char *close = strchr(s, '}');
		if (!close)
			return tk_fail(err, TK_EINVAL, "template",
				       "'{' at byte %td is never closed (write {{ for a literal brace)",
				       s - body);
		const char *name = s + 1;
		char mark = *name == '?' || *name == '/' ? *name : 0;
		if (mark)
			name++;
		size_t nlen = (size_t)(close - name);
		int ph = ph_find(name, nlen);
		if (ph < 0)
			return tk_fail(err, TK_EINVAL, "template",
				       "unknown placeholder {%.*s}; known: title, brand, shop, price, "
				       "coupon, final_price, commission, sales, link, lowest_note",
				       (int)(nlen > 32 ? 32 : nlen), name);
		if (mark == '?') {
			if (section >= 0)
				return tk_fail(err, TK_EINVAL, "template",
					       "{?%s} inside {?%s}: sections do not nest", ph_names[ph],
					       ph_names[section]);
			section = ph;
			skipping = v && !ph_present(v, ph);
		} else if (mark == '/') {
			if (section != ph)
				return tk_fail(err, TK_EINVAL, "template", "{/%s} without {?%s} before it",
					       ph_names[ph], ph_names[ph]);
			section = -1;
			skipping = false;
		} else if (!skipping && v) {
			ph_write(o, ch, v, title, ph);
		}
		s = close + 1;
	}
	if (section >= 0)
		return tk_fail(err, TK_EINVAL, "template", "{?%s} is never closed with {/%s}",
			       ph_names[section], ph_names[section]);
	return TK_OK;
}

enum tk_rc catalog_template_check(const char *body, struct tk_error *err)
{
	char buf[64];
	struct out o = {buf, 0, sizeof(buf), false};
	buf[0] = '\0';
	if (!catalog_text_clean_multiline(body))
		return tk_fail(err, TK_EINVAL, "template",
			       "must be UTF-8 text without control characters other than newlines");
	return render(body, CHANNEL_TEXT, NULL, "", &o, err);
}

/* The byte offset of the first `chars` characters of s. */
static size_t char_offset(const char *s, size_t chars)
{
	size_t i = 0, n = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (n == chars)
				break;
			n++;
		}
	}
	return i;
}

/* Renders with the first `keep` characters of the title (and "…" when
 * that is not all of it); *len is the length as the channel counts it,
 * SIZE_MAX when it did not even fit the buffer. */
static enum tk_rc render_cut(const char *body, enum catalog_channel ch,
			     const struct catalog_copy_values *v, size_t keep, size_t chars,
			     char *out, size_t *len, struct tk_error *err)
{
	char title[CATALOG_TITLE_MAX + 4];
	const char *t = v->title ? v->title : "";
	size_t off = char_offset(t, keep);
	if (off >= sizeof(title) - 4)
		off = sizeof(title) - 4;
	memcpy(title, t, off);
	title[off] = '\0';
	if (keep < chars)
		memcpy(title + off, "…", sizeof("…"));
	struct out o = {out, 0, CATALOG_COPY_BUF, false};
	out[0] = '\0';
	enum tk_rc rc = render(body, ch, v, title, &o, err);
	*len = o.full ? SIZE_MAX : catalog_copy_measure(ch, out);
	return rc;
}

enum tk_rc catalog_copy_render(const char *body, enum catalog_channel ch,
			       const struct catalog_copy_values *v, char *out, bool *title_cut,
			       struct tk_error *err)
{
	size_t limit = catalog_copy_limit(ch), len;
	size_t chars = catalog_text_chars(v->title ? v->title : "");
	enum tk_rc rc;

	*title_cut = false;
	if ((rc = render_cut(body, ch, v, chars, chars, out, &len, err)))
		return rc;
	if (len <= limit)
		return TK_OK;
	/* Too long: keep the longest start of the title that fits (the
	 * length only grows with the characters kept). */
	size_t lo = 0, hi = chars; /* fits with lo kept (checked below); not with hi */
	if ((rc = render_cut(body, ch, v, 0, chars, out, &len, err)))
		return rc;
	if (len > limit)
		return tk_fail(err, TK_ELIMIT, "template",
			       "renders to more than the %s limit of %zu %s even with the title cut",
			       catalog_channel_name(ch), limit,
			       ch == CHANNEL_TELEGRAM ? "characters" : "bytes");
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if ((rc = render_cut(body, ch, v, mid, chars, out, &len, err)))
			return rc;
		if (len <= limit)
			lo = mid;
		else
			hi = mid;
	}
	*title_cut = true;
	return render_cut(body, ch, v, lo, chars, out, &len, err);
}

/* ---- built-in templates ---- */

struct builtin {
	const char *name;
	enum catalog_channel ch;
	const char *body;
};

static const struct builtin builtins[] = {
	{"default", CHANNEL_TEXT,
	 "{title}\n"
	 "{?coupon}领券立减{coupon}元，{/coupon}到手价 ¥{final_price}"
	 "{?lowest_note}（{lowest_note}）{/lowest_note}\n"
	 "原价 ¥{price}\n"
	 "👉 {link}"},
	{"default", CHANNEL_WECOM,
	 "**{title}**\n"
	 "{?coupon}> 券：<font color=\"warning\">{coupon}元</font>\n{/coupon}"
	 "> 到手价：<font color=\"info\">¥{final_price}</font>"
	 "{?lowest_note} {lowest_note}{/lowest_note}\n"
	 "> 原价：¥{price}\n"
	 "[👉 立即购买]({link})"},
	{"default", CHANNEL_TELEGRAM,
	 "<b>{title}</b>\n"
	 "{?coupon}券：{coupon}元\n{/coupon}"
	 "到手价：<b>¥{final_price}</b>{?lowest_note}（{lowest_note}）{/lowest_note}\n"
	 "原价：<s>¥{price}</s>\n"
	 "<a href=\"{link}\">👉 立即购买</a>"},
	{"short", CHANNEL_TEXT, "{title} 到手¥{final_price} {link}"},
	{"short", CHANNEL_WECOM, "**{title}** 到手¥{final_price} [购买]({link})"},
	{"short", CHANNEL_TELEGRAM, "<b>{title}</b> 到手¥{final_price} <a href=\"{link}\">购买</a>"},
	{"promoter", CHANNEL_TEXT,
	 "{title}\n"
	 "到手价 ¥{final_price}{?coupon}（券{coupon}元）{/coupon}，佣金 ¥{commission}/件"
	 "{?lowest_note}，{lowest_note}{/lowest_note}\n"
	 "30天销量 {sales}\n"
	 "{link}"},
	{"promoter", CHANNEL_WECOM,
	 "**{title}**\n"
	 "> 到手价：¥{final_price}{?coupon}（券{coupon}元）{/coupon}\n"
	 "> 佣金：<font color=\"warning\">¥{commission}/件</font>\n"
	 "{?lowest_note}> {lowest_note}\n{/lowest_note}"
	 "> 30天销量：{sales}\n"
	 "[链接]({link})"},
	{"promoter", CHANNEL_TELEGRAM,
	 "<b>{title}</b>\n"
	 "到手价：¥{final_price}{?coupon}（券{coupon}元）{/coupon}\n"
	 "佣金：<b>¥{commission}/件</b>\n"
	 "{?lowest_note}{lowest_note}\n{/lowest_note}"
	 "30天销量：{sales}\n"
	 "<a href=\"{link}\">链接</a>"},
};

const char *const catalog_template_builtin_names[] = {"default", "short", "promoter", NULL};

const char *catalog_template_builtin(const char *name, enum catalog_channel ch)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (builtins[i].ch == ch && strcmp(builtins[i].name, name) == 0)
			return builtins[i].body;
	return NULL;
}

const char *catalog_copy_lowest_note(const struct catalog_history_summary *h, char *buf)
{
	buf[0] = '\0';
	if (h->tracked_days < 7 || h->window_high == h->window_low || !h->at_window_low)
		return buf;
	int64_t days = h->tracked_days < h->window_days ? h->tracked_days : h->window_days;
	snprintf(buf, 64, "近%lld天最低价", (long long)days);
	return buf;
}
