/* catalog_json.c — JSON documents of the product library's results. */
#include "catalog/catalog_json.h"

#include <string.h>

#include "core/tktime.h"

static json_t *jtime(int64_t t)
{
	char buf[TKTIME_BUF];
	if (t <= 0)
		return json_null();
	return json_string(tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf));
}

static void set_i(json_t *o, const char *k, int64_t v)
{
	json_object_set_new(o, k, json_integer((json_int_t)v));
}

static void set_s(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

json_t *catalog_json_product(const struct catalog_product *p, int64_t now)
{
	json_t *o = json_object();
	set_s(o, "union", p->union_);
	set_s(o, "product", p->product);
	set_s(o, "title", p->title);
	set_s(o, "category", p->category);
	set_s(o, "brand", p->brand);
	set_s(o, "shop", p->shop);
	set_i(o, "price", p->price);
	set_i(o, "coupon", p->coupon);
	set_i(o, "coupon_min", p->coupon_min);
	json_object_set_new(o, "coupon_start", jtime(p->coupon_start));
	json_object_set_new(o, "coupon_end", jtime(p->coupon_end));
	json_object_set_new(o, "coupon_valid", json_boolean(catalog_coupon_valid(p, now)));
	set_i(o, "final_price", catalog_final_price(p, now));
	set_i(o, "commission_bps", p->commission_bps);
	set_i(o, "commission", catalog_commission_per_unit(p, now));
	set_i(o, "sales", p->sales);
	set_s(o, "image", p->image);
	set_s(o, "url", p->url);
	set_s(o, "coupon_url", p->coupon_url);
	json_object_set_new(o, "first_seen_at", jtime(p->first_seen_at));
	json_object_set_new(o, "updated_at", jtime(p->updated_at));
	/* the union's own lists: listed, gone (with when), or never from a feed */
	set_s(o, "status", !p->feed ? "imported" : p->gone_at ? "gone" : "listed");
	json_object_set_new(o, "gone_at", jtime(p->gone_at));
	return o;
}

json_t *catalog_json_import(const struct catalog_import_stats *s)
{
	json_t *o = json_object();
	set_i(o, "read", s->read);
	set_i(o, "inserted", s->inserted);
	set_i(o, "updated", s->updated);
	set_i(o, "unchanged", s->unchanged);
	set_i(o, "rejected", s->rejected);
	set_i(o, "price_changes", s->price_changes);
	json_object_set_new(o, "rolled_back", json_boolean(s->rolled_back));
	return o;
}

json_t *catalog_json_search(const struct catalog_search_request *req,
			    const struct catalog_search_result *res)
{
	json_t *o = json_object(), *terms = json_array(), *items = json_array();
	set_s(o, "query", req->query ? req->query : "");
	for (int i = 0; i < res->terms.n; i++)
		json_array_append_new(terms, json_string(res->terms.term[i].text));
	json_object_set_new(o, "terms", terms);
	set_s(o, "sort", catalog_sort_name(req->sort));
	set_i(o, "page", res->page);
	set_i(o, "per_page", res->per_page);
	set_i(o, "total", res->total);
	json_object_set_new(o, "total_exact", json_boolean(res->total_exact));
	for (int i = 0; i < res->n; i++)
		json_array_append_new(items, catalog_json_product(&res->items[i], req->now));
	json_object_set_new(o, "items", items);
	return o;
}

json_t *catalog_json_history(const struct catalog_history_summary *h)
{
	json_t *o = json_object();
	set_i(o, "current", h->current);
	set_i(o, "lowest", h->lowest);
	set_i(o, "highest", h->highest);
	json_object_set_new(o, "lowest_last_at", jtime(h->lowest_last_at));
	json_object_set_new(o, "at_lowest", json_boolean(h->at_lowest));
	set_i(o, "window_days", h->window_days);
	set_i(o, "window_low", h->window_low);
	set_i(o, "window_high", h->window_high);
	json_object_set_new(o, "at_window_low", json_boolean(h->at_window_low));
	json_object_set_new(o, "tracked_since", jtime(h->tracked_since));
	set_i(o, "tracked_days", h->tracked_days);
	json_object_set_new(o, "current_since", jtime(h->run_start));
	set_i(o, "rarity_days", h->rarity_days);
	json_object_set_new(o, "never_this_low_before", json_boolean(h->never_this_low));
	set_i(o, "changes", h->n_points);
	return o;
}

json_t *catalog_json_score(const struct catalog_score *s, const struct catalog_weights *w)
{
	const int32_t wt[TERM_COUNT] = {
		w->w_earn, w->w_price_position, w->w_price_rarity, w->w_sales, w->w_coupon,
		w->w_conversion, w->w_refund,
	};
	json_t *o = json_object(), *terms = json_object(), *reasons = json_array();
	char txt[16];
	set_i(o, "total", s->total);
	snprintf(txt, sizeof(txt), "%d.%02d", s->total / 100, s->total % 100);
	set_s(o, "points", txt);
	for (int t = 0; t < TERM_COUNT; t++) {
		json_t *term = json_object();
		set_i(term, "value", s->value[t]);
		set_i(term, "weight", wt[t]);
		set_i(term, "contribution", s->contribution[t]);
		json_object_set_new(terms, catalog_term_name((enum catalog_term_id)t), term);
	}
	json_object_set_new(o, "terms", terms);
	set_i(o, "earn", s->earn);
	set_i(o, "final_price", s->final_price);
	set_i(o, "conversion_bps", s->conversion_bps);
	json_object_set_new(o, "conversion_from_team", json_boolean(s->conversion_known));
	set_i(o, "refund_bps", s->refund_bps);
	json_object_set_new(o, "refund_from_team", json_boolean(s->refund_known));
	for (int i = 0; i < s->n_reasons; i++) {
		json_t *r = json_object();
		set_s(r, "code", s->reasons[i].code);
		set_s(r, "text", s->reasons[i].text);
		json_t *params = json_object();
		for (int k = 0; params && k < s->reasons[i].n_params; k++) {
			const struct catalog_reason_param *p = &s->reasons[i].params[k];
			json_object_set_new(params, p->name,
					    p->str[0] ? json_string(p->str) : json_integer(p->num));
		}
		json_object_set_new(r, "params", params);
		json_array_append_new(reasons, r);
	}
	json_object_set_new(o, "reasons", reasons);
	return o;
}

static json_t *team(const struct catalog_team_stats *t)
{
	json_t *o = json_object();
	set_i(o, "clicks", t->clicks);
	set_i(o, "orders", t->orders);
	set_i(o, "refunds", t->refunds);
	return o;
}

json_t *catalog_json_scored(const struct catalog_scored *sc, int64_t now,
			    const struct catalog_weights *w)
{
	json_t *o = json_object(), *t = json_object();
	json_object_set_new(o, "product", catalog_json_product(&sc->product, now));
	json_object_set_new(o, "score", catalog_json_score(&sc->score, w));
	json_object_set_new(o, "history", catalog_json_history(&sc->history));
	json_object_set_new(t, "product", team(&sc->team_product));
	json_object_set_new(t, "category", team(&sc->team_category));
	json_object_set_new(o, "team", t);
	return o;
}

json_t *catalog_json_top(const struct catalog_scored *items, int n, const char *category,
			 int64_t now, const struct catalog_weights *w)
{
	json_t *o = json_object(), *arr = json_array();
	json_object_set_new(o, "now", jtime(now));
	json_object_set_new(o, "category", category && category[0] ? json_string(category)
								   : json_null());
	json_object_set_new(o, "weights", catalog_json_weights(w));
	for (int i = 0; i < n; i++) {
		json_t *it = catalog_json_scored(&items[i], now, w);
		set_i(it, "rank", i + 1);
		json_array_append_new(arr, it);
	}
	json_object_set_new(o, "items", arr);
	return o;
}

json_t *catalog_json_detail(const struct catalog_detail *d, int64_t now,
			    const struct catalog_weights *w)
{
	json_t *o = catalog_json_scored(&d->scored, now, w);
	json_t *pts = json_array(), *subs = json_array();
	for (int i = 0; i < d->n_points; i++) {
		json_t *p = json_object();
		json_object_set_new(p, "at", jtime(d->points[i].at));
		set_i(p, "final_price", d->points[i].final_price);
		set_i(p, "price", d->points[i].price);
		set_i(p, "coupon", d->points[i].coupon);
		json_array_append_new(pts, p);
	}
	json_object_set_new(json_object_get(o, "history"), "points", pts);
	for (int i = 0; i < d->n_subs; i++) {
		const struct catalog_substitute *s = &d->subs[i];
		json_t *it = catalog_json_product(&s->product, now);
		set_i(it, "similarity", s->similarity);
		set_i(it, "earn_more", s->earn - d->scored.score.earn);
		set_i(it, "cheaper_by", d->scored.score.final_price - s->final_price);
		json_array_append_new(subs, it);
	}
	json_object_set_new(o, "substitutes", subs);
	return o;
}

json_t *catalog_json_fit(const struct catalog_fit *f)
{
	json_t *o = json_object(), *arr = json_array(), *u = json_object();
	for (int i = 0; i < f->n; i++) {
		const struct catalog_category_stats *c = &f->cats[i];
		json_t *it = json_object();
		set_s(it, "category", c->category);
		set_i(it, "products", c->products);
		set_i(it, "orders", c->orders);
		set_i(it, "orders_share_bps", f->orders ? c->orders * 10000 / f->orders : 0);
		set_i(it, "products_share_bps", f->products ? c->products * 10000 / f->products : 0);
		int64_t idx = catalog_fit_index(c, f->products, f->orders);
		json_object_set_new(it, "fit_index", idx >= 0 ? json_integer(idx) : json_null());
		set_s(it, "fit", catalog_fit_verdict(c, f->products, f->orders));
		set_i(it, "refunds", c->refunds);
		json_object_set_new(it, "refund_rate_bps",
				    c->orders ? json_integer(c->refunds * 10000 / c->orders)
					      : json_null());
		set_i(it, "units", c->units);
		set_i(it, "gmv", c->gmv);
		set_i(it, "commission", c->commission);
		json_object_set_new(it, "commission_per_order",
				    c->orders ? json_integer(c->commission / c->orders) : json_null());
		set_i(it, "buyers", c->buyers);
		set_i(it, "repeat_buyers", c->repeat_buyers);
		json_object_set_new(it, "repeat_rate_bps",
				    c->buyers ? json_integer(c->repeat_buyers * 10000 / c->buyers)
					      : json_null());
		json_object_set_new(it, "repurchase_interval_days",
				    c->repurchase_gaps
					    ? json_integer(c->repurchase_seconds / c->repurchase_gaps /
							   CATALOG_DAY)
					    : json_null());
		set_i(it, "clicks", c->clicks);
		json_object_set_new(it, "conversion_bps",
				    c->clicks ? json_integer(c->orders * 10000 / c->clicks)
					      : json_null());
		json_array_append_new(arr, it);
	}
	json_object_set_new(o, "categories", arr);
	set_i(o, "products", f->products);
	set_i(o, "orders", f->orders);
	set_i(u, "orders", f->uncatalogued.orders);
	set_i(u, "gmv", f->uncatalogued.gmv);
	set_i(u, "commission", f->uncatalogued.commission);
	json_object_set_new(o, "not_in_catalogue", u);
	return o;
}

json_t *catalog_json_weights(const struct catalog_weights *w)
{
	json_t *o = json_object();
	set_i(o, "earn", w->w_earn);
	set_i(o, "price_position", w->w_price_position);
	set_i(o, "price_rarity", w->w_price_rarity);
	set_i(o, "sales", w->w_sales);
	set_i(o, "coupon", w->w_coupon);
	set_i(o, "conversion", w->w_conversion);
	set_i(o, "refund", w->w_refund);
	set_i(o, "earn_half_fen", w->earn_half_fen);
	set_i(o, "sales_half", w->sales_half);
	set_i(o, "window_days", w->window_days);
	set_i(o, "rarity_full_days", w->rarity_full_days);
	set_i(o, "coupon_full_bps", w->coupon_full_bps);
	set_i(o, "conversion_half_bps", w->conversion_half_bps);
	set_i(o, "conversion_prior_bps", w->conversion_prior_bps);
	set_i(o, "refund_zero_bps", w->refund_zero_bps);
	set_i(o, "refund_prior_bps", w->refund_prior_bps);
	set_i(o, "shrink_orders", w->shrink_orders);
	set_i(o, "shrink_clicks", w->shrink_clicks);
	return o;
}
