/* api_products.c — the product library: search, the products most worth
 * pushing, one product with its price history and substitutes, and the
 * copy text to post (with the member's invite code in its link).  The
 * JSON is the library's own (catalog_json.h), as the command line prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "http/api_handlers.h"
#include "http/api_json.h"
#include "tracking/link_table.h"
#include "tracking/links.h"
#include "tracking/links_convert.h"
#include "store/server_store.h"

enum tk_rc h_product_search(struct api_call *c)
{
	char qbuf[512], ubuf[ORDER_UNION_MAX], cbuf[CATALOG_NAME_MAX], sbuf[16], vbuf[8];
	const char *sort, *coupon;
	int64_t page, per_page;
	struct catalog_search_request req = {.min_price = -1, .max_price = -1,
					     .min_commission = -1, .sort = CATALOG_SORT_POPULAR,
					     .now = c->now};
	enum tk_rc rc;
	if ((rc = api_query(c, "q", qbuf, sizeof(qbuf), &req.query)) ||
	    (rc = api_query(c, "union", ubuf, sizeof(ubuf), &req.union_)) ||
	    (rc = api_query(c, "category", cbuf, sizeof(cbuf), &req.category)) ||
	    (rc = api_query(c, "sort", sbuf, sizeof(sbuf), &sort)) ||
	    (rc = api_query(c, "coupon_valid", vbuf, sizeof(vbuf), &coupon)) ||
	    (rc = api_query_i64(c, "min_price", -1, 0, CATALOG_PRICE_MAX, &req.min_price)) ||
	    (rc = api_query_i64(c, "max_price", -1, 0, CATALOG_PRICE_MAX, &req.max_price)) ||
	    (rc = api_query_i64(c, "min_commission", -1, 0, CATALOG_PRICE_MAX,
				&req.min_commission)) ||
	    (rc = api_query_i64(c, "page", 1, 1, CATALOG_DEPTH_MAX, &page)) ||
	    (rc = api_query_i64(c, "per_page", 20, 1, CATALOG_PER_PAGE_MAX, &per_page)))
		return rc;
	if (sort && !catalog_sort_parse(sort, &req.sort))
		return tk_fail(&c->err, TK_EINVAL, "sort",
			       "must be popular, relevance, sales, commission or price, got \"%s\"",
			       sort);
	if (coupon && strcmp(coupon, "true") != 0 && strcmp(coupon, "false") != 0)
		return tk_fail(&c->err, TK_EINVAL, "coupon_valid", "must be true or false");
	req.coupon_valid = coupon && strcmp(coupon, "true") == 0;
	req.page = page;
	req.per_page = per_page;
	struct catalog_search_result res;
	if ((rc = catalog_search(api_store(c), &req, &res, &c->err)))
		return rc;
	rc = api_reply(c, 200, catalog_json_search(&req, &res));
	catalog_search_result_free(&res);
	return rc;
}

enum tk_rc h_product_top(struct api_call *c)
{
	char cbuf[CATALOG_NAME_MAX];
	const char *category;
	int64_t limit;
	struct catalog_scored *items;
	int n;
	enum tk_rc rc;
	if ((rc = api_query(c, "category", cbuf, sizeof(cbuf), &category)) ||
	    (rc = api_query_i64(c, "limit", 20, 1, CATALOG_TOP_MAX, &limit)) ||
	    (rc = catalog_top(api_store(c), category, (int)limit, c->now, &catalog_weights_default,
			      &items, &n, &c->err)))
		return rc;
	rc = api_reply(c, 200, catalog_json_top(items, n, category, c->now,
						&catalog_weights_default));
	free(items);
	return rc;
}

/* The library's categories for the promoter page's tabs: names and product
 * counts, in the order the team's orders rank them (the best sellers
 * first); the team's figures themselves stay with the operators'
 * `tuike products categories`. */
enum tk_rc h_product_categories(struct api_call *c)
{
	struct catalog_fit f;
	enum tk_rc rc = catalog_category_fit(api_store(c), &f, &c->err);
	if (rc)
		return rc;
	json_t *list = json_array();
	for (int i = 0; list && i < f.n; i++) {
		const struct catalog_category_stats *cs = &f.cats[i];
		if (!cs->category[0] || cs->products == 0)
			continue; /* nothing to filter by, or nothing to show */
		json_array_append_new(list, json_pack("{s:s, s:I}", "category", cs->category,
						      "products", (json_int_t)cs->products));
	}
	catalog_fit_free(&f);
	if (!list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	return api_reply(c, 200, json_pack("{s:o}", "categories", list));
}

enum tk_rc h_product_show(struct api_call *c)
{
	int64_t subs;
	struct catalog_detail d;
	enum tk_rc rc;
	if ((rc = api_query_i64(c, "substitutes", 5, 0, CATALOG_SUBSTITUTES_MAX, &subs)) ||
	    (rc = catalog_show(api_store(c), api_param(c, 0), api_param(c, 1), (int)subs, c->now,
			       &catalog_weights_default, &d, &c->err)))
		return rc;
	rc = api_reply(c, 200, catalog_json_detail(&d, c->now, &catalog_weights_default));
	catalog_detail_free(&d);
	return rc;
}

/* The member's tracking link to the product, made on first use: the
 * newest one it has, else a new one (refused when the member has no tag
 * of the product's union to carry).  A link from a conversion near its
 * expiry is converted again (its target follows).  Taobao's 淘口令 goes
 * into *tpwd when the conversion has one (tpwd_size bytes); *doc gets the
 * link's document (target, converted, expires_at, demo) for the pages to
 * show what the text leads to, NULL when out of memory.  (The posters'
 * QR codes too: api_posters.c.) */
enum tk_rc api_product_link(struct api_call *c, const struct member_rec *m, const char *union_,
			    const char *product, char *url, size_t size, char *tpwd,
			    size_t tpwd_size, json_t **doc)
{
	struct link_rec *l = malloc(sizeof(*l));
	struct conversion_rec *conv = malloc(sizeof(*conv));
	struct store *st = api_store(c);
	struct links_fault fault = {0};
	struct links_quota_hit hit = {0};
	struct links_unlock unlock;
	enum tk_rc rc;
	tpwd[0] = '\0';
	api_links_unlock(c, &unlock);
	if (!l || !conv) {
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	rc = st->server->link_find(st, m->id, union_, product, "", l, &c->err);
	if (rc == TK_ENOTFOUND) {
		struct link_request req = {.member = m->ext, .union_ = union_, .product = product,
					   .conv = c->api->conv, .fault = &fault,
					   .unlock = &unlock, .reuse = true, .quota = &hit,
					   .origin = api_is_operator(c) ? LINK_ORIGIN_OPERATOR
									: LINK_ORIGIN_MEMBER};
		struct tk_error err;
		if (!(rc = links_create(c->e, &req, c->now, l, &c->err)) &&
		    link_table_put(c->api->links, l, &err)) {
			char buf[1024];
			tk_error_format(&err, buf, sizeof(buf));
			fprintf(stderr, "tuike serve: link %s is stored but not in memory: %s\n",
				l->code, buf);
		}
	} else if (rc == TK_OK && links_conv_applies(c->api->conv, union_)) {
		/* reuses the link's conversion, or makes it again near expiry
		 * (or for a link made before conversion was configured) */
		bool fresh = false;
		rc = links_conversion(c->e, c->api->conv, m, "", union_, product, "", c->now, false,
				      conv, &fresh, &fault, &unlock, &c->err);
		if (!rc && conv->tpwd[0])
			snprintf(tpwd, tpwd_size, "%s", conv->tpwd);
		struct tk_error err;
		if (!rc && fresh && !st->server->link_get_id(st, l->id, l, &err))
			link_table_put(c->api->links, l, &err); /* its new target, here at once */
	}
	if (!rc && l->conversion && !tpwd[0] &&
	    st->server->conversion_get(st, m->id, union_, product, "", "", conv, &c->err) == TK_OK)
		snprintf(tpwd, tpwd_size, "%s", conv->tpwd);
	if (!rc) {
		snprintf(url, size, "%s/s/%s", c->api->cfg.base_url, l->code);
		*doc = api_json_link(l, c->api->cfg.base_url);
	}
	rc = api_link_quota(c, &hit, api_union_fault(c, &fault, rc));
out:
	free(l);
	free(conv);
	return rc;
}

enum tk_rc h_product_copy(struct api_call *c)
{
	char tbuf[64], chbuf[16], mbuf[ORDER_KEY_MAX], lbuf[8], code[16], url[API_BASE_URL_MAX + 32];
	char tpwd[CONV_TPWD_MAX];
	const char *channel, *member, *link;
	json_t *link_doc = NULL;
	struct member_rec m;
	struct catalog_copy_request req = {.union_ = api_param(c, 0), .product = api_param(c, 1),
					   .now = c->now,
					   .window_days = catalog_weights_default.window_days};
	enum tk_rc rc;
	if ((rc = api_query(c, "template", tbuf, sizeof(tbuf), &req.template_name)) ||
	    (rc = api_query(c, "channel", chbuf, sizeof(chbuf), &channel)) ||
	    (rc = api_query(c, "member", mbuf, sizeof(mbuf), &member)) ||
	    (rc = api_query(c, "link", lbuf, sizeof(lbuf), &link)))
		return rc;
	bool want_link = link && strcmp(link, "1") == 0;
	if (link && !want_link && strcmp(link, "0") != 0)
		return tk_fail(&c->err, TK_EINVAL, "link", "must be 1 or 0, got \"%s\"", link);
	if (channel && !catalog_channel_parse(channel, &req.channel))
		return tk_fail(&c->err, TK_EINVAL, "channel",
			       "must be text, wecom or telegram, got \"%s\"", channel);
	if (!member && !api_is_operator(c))
		member = c->who.name; /* a member's copy carries its own invite code */
	if (member) {
		if ((rc = api_member_money(c, member, &m)))
			return rc;
		engine_invite_code(m.id, code);
		req.invite_code = code;
		if (want_link &&
		    (rc = api_product_link(c, &m, req.union_, req.product, url, sizeof(url), tpwd,
				    sizeof(tpwd), &link_doc))) {
			json_decref(link_doc);
			return rc;
		}
		/* WeChat opens no Taobao link: text for WeChat carries the
		 * 淘口令 to paste into Taobao instead */
		if (want_link)
			req.link = tpwd[0] && req.channel == CHANNEL_TEXT ? tpwd : url;
	} else if (want_link) {
		return tk_fail(&c->err, TK_EINVAL, "member", "a tracking link needs the member it is for");
	}
	char *text = malloc(CATALOG_COPY_BUF);
	bool cut;
	if (!text || (want_link && !link_doc)) {
		free(text);
		json_decref(link_doc);
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	}
	if (!(rc = catalog_copy(api_store(c), &req, text, &cut, &c->err))) {
		json_t *doc = json_pack("{s:s, s:s, s:b, s:I}", "channel",
					catalog_channel_name(req.channel), "text", text, "title_cut",
					cut, "length",
					(json_int_t)catalog_copy_measure(req.channel, text));
		/* what {link} leads to, and the 淘口令 alone to copy by itself */
		if (doc && link_doc) {
			json_object_set(doc, "link", link_doc);
			if (tpwd[0])
				json_object_set_new(doc, "tpwd", json_string(tpwd));
		}
		rc = api_reply(c, 200, doc);
	}
	json_decref(link_doc);
	free(text);
	return rc;
}
