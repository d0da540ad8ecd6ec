/* attribution.c — who an order item is attributed to, and re-attribution.
 *
 * DESIGN's order: the buyer is a member (self-purchase); the buyer is bound
 * to a promoter (lifetime lock); the link or union tag the order came back
 * with; else nobody.  The lifetime lock is order-independent: a buyer is
 * bound to the promoter of its earliest attributed order by the union's
 * order time, so the final attribution is what rows applied in order-time
 * order would give, whatever order they arrive in.  When an earlier order
 * arrives late, the binding moves and the items it governs are re-attributed
 * by new transfers, each with the plan version and chain it would have had
 * at first sight (the tree and levels as they were then, from history).  An
 * order's time itself may move (first seen unpaid, timed by its row; then
 * paid, timed by its payment): the buyer's orders are then walked again in
 * order-time order. */
#include "engine/attribution.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "engine/growth_internal.h"
#include "store/feed_store.h"
#include "store/growth_store.h"
#include "store/server_store.h"

void attribution_buyer_ns(const struct order_row *row, char ns[BUYER_NS_MAX])
{
	if (row->buyer_kind[0])
		snprintf(ns, BUYER_NS_MAX, "%s:%s", row->union_, row->buyer_kind);
	else
		ns[0] = '\0';
}

int64_t attribution_order_time(const struct order_row *row)
{
	return row->paid_at ? row->paid_at : row->modified_at;
}

/* Whether order a comes strictly before order b: by order time, then by
 * union and item key, a total order, so that which of two same-time orders
 * binds never depends on which arrived first. */
static bool before(const struct order_row *a, const struct order_row *b)
{
	int64_t ta = attribution_order_time(a), tb = attribution_order_time(b);
	if (ta != tb)
		return ta < tb;
	int c = strcmp(a->union_, b->union_);
	return c ? c < 0 : strcmp(a->item, b->item) < 0;
}

/* A member the tree knows, by external id; 0 when none. */
static int64_t known(struct engine *e, const char *ext)
{
	return ext[0] ? member_tree_find(&e->tree, ext) : 0;
}

/* The link, the tag or the member the row names, with the link's channel
 * when the row has none. */
static enum tk_rc direct_sharer(struct engine *e, const struct order_row *row,
				struct attribution_res *r, int *tag_at, char channel[ORDER_KEY_MAX],
				struct tk_error *err)
{
	enum tk_rc rc;
	int64_t m = known(e, row->member);
	if (m) {
		r->sharer = m, r->how = row->link[0] ? ATTR_LINK : ATTR_TAG;
		return TK_OK;
	}
	if (row->link[0] && e->st->server) {
		struct link_rec *l = malloc(sizeof(*l));
		if (!l)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		struct tk_error lerr;
		rc = e->st->server->link_get(e->st, row->link, l, &lerr);
		/* a click before a link was revoked still earns */
		if (rc == TK_OK && member_tree_has(&e->tree, l->member)) {
			r->sharer = l->member, r->how = ATTR_LINK;
			snprintf(r->channel, sizeof(r->channel), "%s", l->channel);
		} else if (rc && rc != TK_ENOTFOUND) {
			*err = lerr;
		}
		free(l);
		if (r->how || (rc && rc != TK_ENOTFOUND))
			return r->how ? TK_OK : rc;
	}
	for (int i = 0; i < row->n_tags && e->st->feeds && e->st->feeds->tag_lookup; i++) {
		struct tk_error terr;
		rc = e->st->feeds->tag_lookup(e->st, row->union_, row->tags[i].kind,
					      row->tags[i].value, &m, channel, &terr);
		if (rc == TK_OK && member_tree_has(&e->tree, m)) {
			r->sharer = m, r->how = ATTR_TAG;
			*tag_at = i;
			return TK_OK;
		}
		if (rc != TK_OK && rc != TK_ENOTFOUND) {
			*err = terr;
			return rc;
		}
	}
	return TK_OK;
}

/* The sharer as direct_sharer finds it; then, when the link gave no
 * channel, the first of the row's tags registered with a channel (one of
 * the sharer's chat groups) gives it, over the union's own channel (a
 * Taobao relation id, a PDD pid): a group's own positionId or relation id
 * brings its orders back as the group's. */
static enum tk_rc direct(struct engine *e, const struct order_row *row, struct attribution_res *r,
			 struct tk_error *err)
{
	int tag_at = -1; /* the tag that named the sharer, and its channel */
	char channel[ORDER_KEY_MAX] = "";
	enum tk_rc rc = direct_sharer(e, row, r, &tag_at, channel, err);
	if (rc || !r->sharer || r->channel[0] || !e->st->feeds || !e->st->feeds->tag_lookup)
		return rc;
	if (tag_at >= 0 && channel[0]) {
		snprintf(r->channel, sizeof(r->channel), "%s", channel);
		r->group = true;
		return TK_OK;
	}
	/* the tags before the sharer's named nobody in the tree: only those
	 * after it are asked again */
	for (int i = tag_at + 1; i < row->n_tags; i++) {
		struct tk_error terr;
		int64_t m = 0;
		channel[0] = '\0';
		rc = e->st->feeds->tag_lookup(e->st, row->union_, row->tags[i].kind,
					      row->tags[i].value, &m, channel, &terr);
		if (rc && rc != TK_ENOTFOUND) {
			*err = terr;
			return rc;
		}
		if (rc == TK_OK && m == r->sharer && channel[0]) {
			snprintf(r->channel, sizeof(r->channel), "%s", channel);
			r->group = true;
			break;
		}
	}
	return TK_OK;
}

enum tk_rc attribution_decide(struct engine *e, const struct order_row *row,
			      struct attribution_res *r, struct tk_error *err)
{
	enum tk_rc rc;
	memset(r, 0, sizeof(*r));
	if (row->buyer[0]) {
		int64_t m = 0;
		if (!row->buyer_kind[0]) {
			m = known(e, row->buyer);
		} else if (e->st->feeds && e->st->feeds->tag_lookup) {
			/* a union-side buyer id registered to a member is that member */
			struct tk_error terr;
			rc = e->st->feeds->tag_lookup(e->st, row->union_, row->buyer_kind, row->buyer,
						      &m, NULL, &terr);
			if (rc && rc != TK_ENOTFOUND) {
				*err = terr;
				return rc;
			}
			if (rc || !member_tree_has(&e->tree, m))
				m = 0;
		}
		if (m) {
			r->sharer = m, r->how = ATTR_SELF;
			return TK_OK;
		}
		char ns[BUYER_NS_MAX];
		attribution_buyer_ns(row, ns);
		rc = e->st->ops->binding_get(e->st, ns, row->buyer, &r->binding, err);
		if (rc && rc != TK_ENOTFOUND)
			return rc;
		r->bound = rc == TK_OK;
		if (r->bound) {
			/* the binding is earlier: it governs this order (the binding's
			 * own item is read only to break a tie of times) */
			int64_t t = attribution_order_time(row);
			bool governed = t > r->binding.at;
			if (t == r->binding.at) {
				struct item_rec *src = malloc(sizeof(*src));
				if (!src)
					return tk_fail(err, TK_ENOMEM, "", "out of memory");
				rc = e->st->ops->item_get_id(e->st, r->binding.item, src, err);
				governed = rc || !before(row, &src->row);
				free(src);
				if (rc && rc != TK_ENOTFOUND)
					return rc;
			}
			if (governed) {
				r->sharer = r->binding.member, r->how = ATTR_BINDING;
				return TK_OK;
			}
		}
	}
	if ((rc = direct(e, row, r, err)))
		return rc;
	/* the buyer's earliest attributed order so far: it binds */
	r->binds = row->buyer[0] && r->how != ATTR_NONE;
	return TK_OK;
}

enum tk_rc engine_chain_at(struct engine *e, const struct plan *p, int64_t sharer,
			   bool self_purchase, int64_t at, int64_t seq, struct plan_chain *chain)
{
	struct tk_error err;
	memset(chain, 0, sizeof(*chain));
	chain->self_purchase = self_purchase;
	for (int64_t m = sharer; m > 0 && chain->n < p->max_tiers;) {
		int64_t parent;
		char level[PLAN_KEY_MAX];
		enum tk_rc rc = e->st->growth->member_at(e->st, m, at, seq, &parent, level, &err);
		if (rc == TK_ENOTFOUND)
			break;
		if (rc)
			return rc;
		int li = plan_level_index(p, level);
		chain->member[chain->n] = m;
		chain->level[chain->n] = li >= 0 ? li : p->default_level;
		chain->n++;
		m = parent;
	}
	return TK_OK;
}

enum tk_rc engine_item_reattribute(struct engine *e, struct item_rec *it, int64_t sharer,
				   enum attribution how, const char *channel, const char *note,
				   struct tk_error *err)
{
	enum tk_rc rc;
	const struct plan *p;
	struct plan_split split;
	if (plan_chain_pack(&it->chain) >= 0)
		return TK_OK; /* a gift pack pays the buyer's inviters, always */
	if ((rc = engine_plan_version(e, it->plan_version, &p, err)))
		return rc;
	struct item_rec was = *it;
	if ((rc = engine_chain_at(e, p, sharer, how == ATTR_SELF, it->first_seen_at, it->seen_seq,
				  &it->chain)))
		return rc;
	it->attribution = how;
	if (channel && channel[0] && !it->row.channel[0]) /* the link's, as at first sight */
		snprintf(it->row.channel, sizeof(it->row.channel), "%s", channel);
	if (it->attribution == was.attribution &&
	    memcmp(&it->chain, &was.chain, sizeof(it->chain)) == 0)
		return TK_OK;
	struct item_money start = {.n = it->chain.n};
	for (int i = 0; i < start.n; i++)
		start.member[i] = it->chain.member[i];
	int64_t net = order_net_commission(it->row.commission, it->row.refunded);
	order_target(p, &it->chain, it->row.status, net, it->row.settled_at, &start, &it->money,
		     &split);
	bool frozen = false;
	for (int i = 0; i < it->money.n; i++)
		frozen |= it->money.bucket[i] == BUCKET_FROZEN;
	if (!frozen)
		it->money.due_at = 0;
	struct order_row ev = it->row;
	ev.commission = net;
	ev.raw = NULL;
	struct item_rec gone = was;
	gone.row.status = ST_INVALID; /* its sales leave the old sharer */
	if ((rc = engine_rechain_item(e, it->id, &was.money, &it->money, err)) ||
	    (rc = e->st->ops->item_event_insert(e->st, it->last_event, &ev, e->batch_now, note,
						&it->last_event, err)) ||
	    (rc = e->st->ops->item_update(e->st, &was, it, err)) ||
	    (rc = rollup_item(&e->rollup, &e->tree, &was, it, err)) ||
	    (rc = growth_item(e, &was, &gone, err)) || (rc = growth_item(e, NULL, it, err)))
		return rc;
	return TK_OK;
}

struct buyer_items {
	int64_t *ids;
	size_t n, cap;
	bool oom;
};

static bool collect(void *ctx, const struct item_rec *it)
{
	struct buyer_items *b = ctx;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		int64_t *a = realloc(b->ids, cap * sizeof(*a));
		if (!a) {
			b->oom = true;
			return false;
		}
		b->ids = a;
		b->cap = cap;
	}
	b->ids[b->n++] = it->id;
	return true;
}

enum tk_rc attribution_bind(struct engine *e, const struct item_rec *src,
			    struct tk_error *err)
{
	enum tk_rc rc;
	char ns[BUYER_NS_MAX], note[160];
	struct buyer_items b = {0};
	struct binding_rec bind = {.member = src->chain.member[0],
				   .item = src->id,
				   .at = attribution_order_time(&src->row)};
	attribution_buyer_ns(&src->row, ns);
	if ((rc = e->st->ops->binding_put(e->st, ns, src->row.buyer, &bind, err)) ||
	    (rc = e->st->ops->item_each_buyer(e->st, src->row.union_, src->row.buyer_kind,
					      src->row.buyer, collect, &b, err)))
		goto out;
	if (b.oom) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	snprintf(note, sizeof(note), "buyer bound to %s by the earlier order %s %s",
		 member_tree_ext(&e->tree, bind.member), src->row.union_, src->row.item);
	/* every later order of the buyer but its own purchases: the binding's */
	for (size_t i = 0; i < b.n && !rc; i++) {
		struct item_rec it;
		if (b.ids[i] == src->id)
			continue;
		if ((rc = e->st->ops->item_get_id(e->st, b.ids[i], &it, err)))
			break;
		if (it.attribution == ATTR_SELF || before(&it.row, &src->row) ||
		    (it.attribution == ATTR_BINDING && it.chain.n && it.chain.member[0] == bind.member))
			continue;
		rc = engine_item_reattribute(e, &it, bind.member, ATTR_BINDING, NULL, note, err);
	}
out:
	free(b.ids);
	return rc;
}

/* ---- re-attribution of what was left unattributed ---- */

/* Items per transaction. */
#define REATTRIBUTE_BATCH 10000

/* Why an item is attributed now, in words for its history. */
static void reason(struct engine *e, const struct item_rec *it, const struct attribution_res *r,
		   char *out, size_t size)
{
	const char *who = member_tree_ext(&e->tree, r->sharer);
	switch (r->how) {
	case ATTR_SELF:
		snprintf(out, size, "re-attributed: the buyer is member %s", who);
		break;
	case ATTR_BINDING:
		snprintf(out, size, "re-attributed: the buyer is bound to %s", who);
		break;
	case ATTR_LINK:
		snprintf(out, size, "re-attributed: link %s is %s's", it->row.link, who);
		break;
	default:
		snprintf(out, size, "re-attributed: a union tag of the order is registered to %s",
			 who);
	}
}

/* ---- an order time that changed ---- */

/* One order of a buyer, by what orders them. */
struct buyer_order {
	int64_t id, at;
	char union_[ORDER_UNION_MAX];
	char item[ORDER_KEY_MAX];
};

struct buyer_orders {
	struct buyer_order *o;
	size_t n, cap;
	bool oom;
};

static bool collect_order(void *ctx, const struct item_rec *it)
{
	struct buyer_orders *b = ctx;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		struct buyer_order *a = realloc(b->o, cap * sizeof(*a));
		if (!a) {
			b->oom = true;
			return false;
		}
		b->o = a;
		b->cap = cap;
	}
	struct buyer_order *o = &b->o[b->n++];
	o->id = it->id;
	o->at = attribution_order_time(&it->row);
	snprintf(o->union_, sizeof(o->union_), "%s", it->row.union_);
	snprintf(o->item, sizeof(o->item), "%s", it->row.item);
	return true;
}

/* The order of before(): order time, then union and item key. */
static int order_cmp(const void *x, const void *y)
{
	const struct buyer_order *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	int c = strcmp(a->union_, b->union_);
	return c ? c : strcmp(a->item, b->item);
}

/* Attributes the buyer's orders as rows applied in order-time order would:
 * its own purchases stay; before the first attributed order, nobody; that
 * order keeps what it was attributed by (or, if a binding governed it
 * until now, by its link or tag now) and binds the buyer; every later
 * order is the binding's. */
static enum tk_rc rebind(struct engine *e, const char *ns, const struct order_row *row,
			 struct tk_error *err)
{
	enum tk_rc rc;
	struct buyer_orders b = {0};
	char note[160];
	int64_t bound = 0;
	if ((rc = e->st->ops->item_each_buyer(e->st, row->union_, row->buyer_kind, row->buyer,
					      collect_order, &b, err)))
		goto out;
	if (b.oom) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	qsort(b.o, b.n, sizeof(*b.o), order_cmp);
	const char *src_union = "", *src_item = "";
	for (size_t i = 0; i < b.n && !rc; i++) {
		struct item_rec it;
		struct attribution_res r = {0};
		if ((rc = e->st->ops->item_get_id(e->st, b.o[i].id, &it, err)))
			break;
		if (it.attribution == ATTR_SELF)
			continue;
		if (bound) {
			if (it.attribution == ATTR_BINDING && it.chain.n && it.chain.member[0] == bound)
				continue;
			snprintf(note, sizeof(note), "buyer bound to %s by the earlier order %s %s",
				 member_tree_ext(&e->tree, bound), src_union, src_item);
			rc = engine_item_reattribute(e, &it, bound, ATTR_BINDING, NULL, note, err);
			continue;
		}
		if ((it.attribution == ATTR_LINK || it.attribution == ATTR_TAG) && it.chain.n)
			r.sharer = it.chain.member[0], r.how = it.attribution;
		else if ((rc = direct(e, &it.row, &r, err)))
			break;
		if (r.how == ATTR_NONE) {
			if (it.attribution != ATTR_NONE)
				rc = engine_item_reattribute(
					e, &it, 0, ATTR_NONE, NULL,
					"unattributed: the order time moved it before the buyer's binding",
					err);
			continue;
		}
		if (r.how != it.attribution) {
			reason(e, &it, &r, note, sizeof(note));
			if ((rc = engine_item_reattribute(e, &it, r.sharer, r.how, r.channel, note, err)))
				break;
		}
		/* the buyer's earliest attributed order: it binds */
		struct binding_rec bind = {.member = r.sharer,
					   .item = it.id,
					   .at = attribution_order_time(&it.row)};
		bound = r.sharer;
		src_union = b.o[i].union_, src_item = b.o[i].item;
		rc = e->st->ops->binding_put(e->st, ns, row->buyer, &bind, err);
	}
out:
	free(b.o);
	return rc;
}

enum tk_rc attribution_retime(struct engine *e, const struct item_rec *was,
			      const struct item_rec *it, struct tk_error *err)
{
	enum tk_rc rc;
	char ns[BUYER_NS_MAX];
	struct binding_rec bind;
	if (!it->row.buyer[0] || it->attribution == ATTR_SELF ||
	    attribution_order_time(&was->row) == attribution_order_time(&it->row))
		return TK_OK;
	attribution_buyer_ns(&it->row, ns);
	rc = e->st->ops->binding_get(e->st, ns, it->row.buyer, &bind, err);
	if (rc == TK_ENOTFOUND)
		return TK_OK; /* none of the buyer's orders is attributed: none binds */
	if (rc)
		return rc;
	if (bind.item != it->id) {
		/* another order binds: only crossing it changes anything */
		struct item_rec *src = malloc(sizeof(*src));
		if (!src)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		rc = e->st->ops->item_get_id(e->st, bind.item, src, err);
		bool crossed = rc || before(&was->row, &src->row) != before(&it->row, &src->row);
		free(src);
		if (rc && rc != TK_ENOTFOUND)
			return rc;
		if (!crossed)
			return TK_OK;
	}
	return rebind(e, ns, &it->row, err);
}

/* The action log's entry of the items a re-attribution batch gave a
 * sharer (it moves commission): one per committed batch that moved any. */
static enum tk_rc log_reattributed(struct engine *e, int64_t since,
				   const struct reattribute_stats *st, int64_t *logged,
				   struct tk_error *err)
{
	int64_t n = st->reattributed - *logged;
	if (n <= 0)
		return TK_OK;
	json_t *after = json_pack("{s:I, s:I}", "since", (json_int_t)since, "reattributed",
				  (json_int_t)n);
	enum tk_rc rc = actions_record(e->st, engine_now(), "orders.reattribute", "orders", NULL,
				       after, err);
	json_decref(after);
	if (!rc)
		*logged = st->reattributed;
	return rc;
}

enum tk_rc engine_orders_reattribute(struct engine *e, int64_t since, bool dry_run,
				     struct reattribute_stats *out, engine_reattributed_cb seen,
				     void *ctx, struct tk_error *err)
{
	enum tk_rc rc;
	struct buyer_items ids = {0};
	int64_t logged = 0; /* items already in an entry of the action log */
	memset(out, 0, sizeof(*out));
	if ((rc = engine_import_begin(e, err)))
		return rc;
	if ((rc = e->st->ops->item_each_unattributed(e->st, since, collect, &ids, err)))
		goto fail;
	if (ids.oom) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < ids.n; i++) {
		struct item_rec it;
		struct attribution_res r;
		char why[160];
		if ((rc = e->st->ops->item_get_id(e->st, ids.ids[i], &it, err)))
			goto fail;
		out->examined++;
		if (it.attribution != ATTR_NONE) /* a binding attributed it meanwhile */
			continue;
		if ((rc = attribution_decide(e, &it.row, &r, err)))
			goto fail;
		if (r.how == ATTR_NONE)
			continue;
		out->reattributed++;
		reason(e, &it, &r, why, sizeof(why));
		if (seen)
			seen(ctx, &it, member_tree_ext(&e->tree, r.sharer), why);
		if (dry_run)
			continue;
		if ((rc = engine_item_reattribute(e, &it, r.sharer, r.how, r.channel, why, err)) ||
		    (r.binds && (rc = attribution_bind(e, &it, err))))
			goto fail;
		if (out->reattributed % REATTRIBUTE_BATCH == 0 &&
		    ((rc = log_reattributed(e, since, out, &logged, err)) ||
		     (rc = engine_import_commit(e, err)) || (rc = engine_import_begin(e, err))))
			goto out;
	}
	if (dry_run)
		engine_import_rollback(e);
	else if ((rc = log_reattributed(e, since, out, &logged, err)))
		goto fail;
	else
		rc = engine_import_commit(e, err);
	goto out;
fail:
	engine_import_rollback(e);
out:
	free(ids.ids);
	return rc;
}
