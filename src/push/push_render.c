/* push_render.c — a product's message per platform and template: the
 * catalog's copy text fitted to the platform's limits, wrapped in the
 * platform's JSON message object. */
#include "push/push_render.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_text.h"

#define BUY "👉 立即购买"

/* The description of news messages: the deal without title and link
 * (those have fields of their own).  Plain text. */
static const char news_desc_tpl[] =
	"{?coupon}领券立减{coupon}元，{/coupon}到手价 ¥{final_price}"
	"{?lowest_note}（{lowest_note}）{/lowest_note}\n"
	"原价 ¥{price}";

/* DingTalk markdown: a line break needs an empty line, and there is no
 * <font>; rendered with the WeCom channel for its markdown escaping. */
static const char dingtalk_md_tpl[] =
	"**{title}**\n\n"
	"{?coupon}> 券：{coupon}元\n\n{/coupon}"
	"> 到手价：¥{final_price}{?lowest_note} {lowest_note}{/lowest_note}\n\n"
	"> 原价：¥{price}\n\n"
	"[" BUY "]({link})";

struct catalog_copy_values push_copy_values(const struct push_render_input *in)
{
	const struct catalog_product *p = in->product;
	struct catalog_copy_values v = {
		.title = p->title,
		.brand = p->brand,
		.shop = p->shop,
		.price = p->price,
		.coupon = catalog_coupon_valid(p, in->now) ? p->coupon : 0,
		.final_price = catalog_final_price(p, in->now),
		.commission = catalog_commission_per_unit(p, in->now),
		.sales = p->sales,
		.link = in->link,
		.lowest_note = in->lowest_note ? in->lowest_note : "",
	};
	return v;
}

/* The byte offset after the first `chars` characters of s. */
static size_t char_offset(const char *s, size_t chars)
{
	size_t i = 0, n = 0;
	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == chars)
			break;
	return i;
}

/* Renders tpl for ch with the title shortened (its first `keep` of `chars`
 * characters, then "…") into out; the length as the kind counts it. */
static enum tk_rc render_keep(const char *tpl, enum catalog_channel ch,
			      const struct catalog_copy_values *v, size_t keep, size_t chars,
			      bool utf16, char *out, size_t *len, struct tk_error *err)
{
	char title[CATALOG_TITLE_MAX + 4];
	struct catalog_copy_values w = *v;
	size_t off = char_offset(v->title, keep);
	if (off > CATALOG_TITLE_MAX - 1)
		off = CATALOG_TITLE_MAX - 1;
	memcpy(title, v->title, off);
	title[off] = '\0';
	if (keep < chars)
		memcpy(title + off, "…", sizeof("…"));
	w.title = title;
	bool cut;
	enum tk_rc rc = catalog_copy_render(tpl, ch, &w, out, &cut, err);
	if (rc == TK_ELIMIT) /* over the channel's own limit even with no title */
		return tk_fail(err, TK_ELIMIT, "link",
			       "is %zu bytes and leaves no room for the message within %zu",
			       strlen(v->link), catalog_copy_limit(ch));
	*len = catalog_copy_measure(utf16 ? CHANNEL_TELEGRAM : CHANNEL_TEXT, out);
	return rc;
}

/* The copy text of tpl within limit: the whole title when it fits, else
 * the longest start of it that does (the length only grows with the
 * characters kept).  The link is never cut. */
static enum tk_rc fit(const char *tpl, enum catalog_channel ch, const struct catalog_copy_values *v,
		      size_t limit, bool utf16, char *out, struct tk_error *err)
{
	size_t chars = catalog_text_chars(v->title), len;
	enum tk_rc rc;
	if ((rc = render_keep(tpl, ch, v, chars, chars, utf16, out, &len, err)))
		return rc;
	if (len <= limit)
		return TK_OK;
	if ((rc = render_keep(tpl, ch, v, 0, chars, utf16, out, &len, err)))
		return rc;
	if (len > limit)
		return tk_fail(err, TK_ELIMIT, "link",
			       "leaves no room for the message: %zu %s without the title, the limit "
			       "is %zu",
			       len, utf16 ? "characters" : "bytes", limit);
	size_t lo = 0, hi = chars;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if ((rc = render_keep(tpl, ch, v, mid, chars, utf16, out, &len, err)))
			return rc;
		if (len <= limit)
			lo = mid;
		else
			hi = mid;
	}
	return render_keep(tpl, ch, v, lo, chars, utf16, out, &len, err);
}

/* s cut to at most max bytes on a UTF-8 boundary, ending in "…" when cut;
 * out (which may be s) holds max + 1 bytes. */
static void cut_bytes(const char *s, size_t max, char *out)
{
	size_t n = strlen(s);
	if (n <= max) {
		memmove(out, s, n + 1);
		return;
	}
	size_t keep = max >= 3 ? max - 3 : 0; /* "…" is 3 bytes */
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--;
	memmove(out, s, keep);
	if (max >= 3)
		memcpy(out + keep, "…", sizeof("…"));
	else
		out[keep] = '\0';
}

/* The news description within max bytes. */
static enum tk_rc news_text(const struct catalog_copy_values *v, size_t max, char *out,
			    struct tk_error *err)
{
	bool cut;
	enum tk_rc rc = catalog_copy_render(news_desc_tpl, CHANNEL_TEXT, v, out, &cut, err);
	if (!rc && strlen(out) > max)
		cut_bytes(out, max, out);
	return rc;
}

static enum tk_rc finish(json_t *doc, struct push_message *m, struct tk_error *err)
{
	if (!doc)
		return tk_fail(err, TK_EINVAL, "product",
			       "its text could not be put into JSON (not UTF-8?)");
	m->body = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return m->body ? TK_OK : tk_fail(err, TK_ENOMEM, "", "out of memory");
}

enum tk_rc push_render(enum push_kind k, enum push_template t, const struct push_render_input *in,
		       struct push_message *m, struct tk_error *err)
{
	const struct push_content_limits *lim = push_platform_content(k);
	const struct catalog_product *p = in->product;
	char *copy = NULL, *desc = NULL, title[CATALOG_TITLE_MAX + 4];
	json_t *doc = NULL;
	enum tk_rc rc;

	memset(m, 0, sizeof(*m));
	m->kind = k;
	if (!in->link || !in->link[0] || strlen(in->link) >= CATALOG_URL_MAX)
		return tk_fail(err, TK_EINVAL, "link", "must be a URL of 1..%d bytes",
			       CATALOG_URL_MAX - 1);
	if (!catalog_text_clean(in->link, strlen(in->link)) ||
	    !catalog_text_clean(p->title, strlen(p->title)))
		return tk_fail(err, TK_EINVAL, "product.title",
			       "the title and link must be UTF-8 without control characters");
	copy = malloc(CATALOG_COPY_BUF);
	desc = malloc(CATALOG_COPY_BUF);
	if (!copy || !desc) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	struct catalog_copy_values v = push_copy_values(in);
	bool photo = t == PUSH_TEMPLATE_NEWS && p->image[0];
	/* Telegram has no news without a picture: its markdown (HTML) instead */
	if (k == PUSH_TELEGRAM && t == PUSH_TEMPLATE_NEWS && !photo)
		t = PUSH_TEMPLATE_MARKDOWN;

	switch (k) {
	case PUSH_MANUAL:
		if (!(rc = fit(catalog_template_builtin("default", CHANNEL_TEXT), CHANNEL_TEXT, &v,
			       lim->text, false, copy, err)))
			doc = json_pack("{s:s}", "text", copy);
		break;
	case PUSH_WECOM:
	case PUSH_DINGTALK:
	case PUSH_FEISHU:
		if (t == PUSH_TEMPLATE_TEXT) {
			if ((rc = fit(catalog_template_builtin("default", CHANNEL_TEXT), CHANNEL_TEXT,
				      &v, lim->text, false, copy, err)))
				break;
			doc = k == PUSH_FEISHU
				      ? json_pack("{s:s, s:{s:s}}", "msg_type", "text", "content",
						  "text", copy)
				      : json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text",
						  "content", copy);
			break;
		}
		cut_bytes(p->title, lim->news_title, title);
		if ((rc = news_text(&v, lim->news_text, desc, err)))
			break;
		if (k == PUSH_WECOM && t == PUSH_TEMPLATE_MARKDOWN) {
			if (!(rc = fit(catalog_template_builtin("default", CHANNEL_WECOM),
				       CHANNEL_WECOM, &v, lim->markdown, false, copy, err)))
				doc = json_pack("{s:s, s:{s:s}}", "msgtype", "markdown", "markdown",
						"content", copy);
		} else if (k == PUSH_WECOM) {
			json_t *art = json_pack("{s:s, s:s, s:s}", "title", title, "description", desc,
						"url", in->link);
			if (art && p->image[0])
				json_object_set_new(art, "picurl", json_string(p->image));
			doc = json_pack("{s:s, s:{s:[o]}}", "msgtype", "news", "news", "articles",
					art);
		} else if (k == PUSH_DINGTALK && t == PUSH_TEMPLATE_MARKDOWN) {
			/* title: what the notification shows */
			if (!(rc = fit(dingtalk_md_tpl, CHANNEL_WECOM, &v, lim->markdown, false, copy,
				       err)))
				doc = json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown",
						"markdown", "title", title, "text", copy);
		} else if (k == PUSH_DINGTALK) {
			doc = json_pack("{s:s, s:{s:s, s:s, s:s}}", "msgtype", "link", "link", "title",
					title, "text", desc, "messageUrl", in->link);
			if (doc && p->image[0])
				json_object_set_new(json_object_get(doc, "link"), "picUrl",
						    json_string(p->image));
		} else if (t == PUSH_TEMPLATE_MARKDOWN) { /* Feishu rich text */
			doc = json_pack("{s:s, s:{s:{s:{s:s, s:[[{s:s, s:s}], [{s:s, s:s, s:s}]]}}}}",
					"msg_type", "post", "content", "post", "zh_cn", "title",
					title, "content", "tag", "text", "text", desc, "tag", "a",
					"text", BUY, "href", in->link);
		} else { /* Feishu interactive card */
			doc = json_pack("{s:s, s:{s:{s:b}, s:{s:{s:s, s:s}}, s:[{s:s, s:{s:s, s:s}}, "
					"{s:s, s:[{s:s, s:{s:s, s:s}, s:s, s:s}]}]}}",
					"msg_type", "interactive", "card", "config",
					"wide_screen_mode", 1, "header", "title", "tag", "plain_text",
					"content", title, "elements", "tag", "div", "text", "tag",
					"plain_text", "content", desc, "tag", "action", "actions",
					"tag", "button", "text", "tag", "plain_text", "content", BUY,
					"type", "primary", "url", in->link);
		}
		break;
	case PUSH_TELEGRAM: {
		const char *tpl = catalog_template_builtin("default", CHANNEL_TELEGRAM);
		if (photo) {
			if (!(rc = fit(tpl, CHANNEL_TELEGRAM, &v, lim->news_text, true, copy, err))) {
				snprintf(m->method, sizeof(m->method), "sendPhoto");
				doc = json_pack("{s:s, s:s, s:s}", "photo", p->image, "caption", copy,
						"parse_mode", "HTML");
			}
			break;
		}
		if (!(rc = fit(tpl, CHANNEL_TELEGRAM, &v, lim->text, true, copy, err))) {
			snprintf(m->method, sizeof(m->method), "sendMessage");
			/* text: no link preview; markdown: the preview shows the product */
			doc = json_pack("{s:s, s:s, s:b}", "text", copy, "parse_mode", "HTML",
					"disable_web_page_preview", t == PUSH_TEMPLATE_TEXT);
		}
		break;
	}
	}
	if (!rc)
		rc = finish(doc, m, err);
	else
		json_decref(doc);
out:
	free(copy);
	free(desc);
	return rc;
}
