/* statement_calc.c — a monthly statement's pure rules: per-order figures,
 * the state machine, months at Beijing time and the differences between
 * the figures as sent and as they are now (statement_calc.h). */
#include "promo/statement_calc.h"

#include <stdio.h>
#include <string.h>

#include "core/order.h"
#include "core/tktime.h"

int64_t stmt_per_mille(int64_t amount, int64_t pm)
{
	/* split so that amount × pm never leaves int64 (pm <= 1000) */
	return amount / 1000 * pm + amount % 1000 * pm / 1000;
}

static bool live(int status)
{
	return status == ST_PAID || status == ST_RECEIVED || status == ST_SETTLED;
}

int64_t stmt_refund_gmv(const struct stmt_order_terms *o)
{
	if (o->status == ST_INVALID && o->paid_at > 0)
		return o->amount;
	if (!live(o->status) || o->refunded <= 0)
		return 0;
	/* what the refund took back is a share of: the union's commission, or
	 * on a head row (stored with commission 0) the service fee before the
	 * refund records reduced it */
	int64_t base = o->commission > 0 ? o->commission : o->fee + o->refunded;
	if (o->refunded >= base)
		return o->amount;
	/* amount × refunded / base with refunded < base: exact in 128 bits,
	 * and the result is below amount */
	return (int64_t)((__int128)o->amount * o->refunded / base);
}

void stmt_figures_add_order(struct stmt_figures *f, const struct stmt_order_terms *o)
{
	if (live(o->status)) {
		f->orders++;
		f->gmv += o->amount;
		f->commission += stmt_per_mille(o->amount, o->commission_pm);
		f->fee += o->fee;
		if (o->fee_bucket == 2)
			f->fee_settled += o->fee;
		else if (o->fee_bucket == 1)
			f->fee_estimated += o->fee;
	}
	int64_t back = stmt_refund_gmv(o);
	if (back > 0 || (o->status == ST_INVALID && o->paid_at > 0)) {
		f->refunds++;
		f->refund_gmv += back;
		f->refund_fee += stmt_per_mille(back, o->service_pm);
	}
}

void stmt_figures_add(struct stmt_figures *to, const struct stmt_figures *f)
{
	to->orders += f->orders;
	to->gmv += f->gmv;
	to->commission += f->commission;
	to->fee += f->fee;
	to->fee_settled += f->fee_settled;
	to->fee_estimated += f->fee_estimated;
	to->refunds += f->refunds;
	to->refund_gmv += f->refund_gmv;
	to->refund_fee += f->refund_fee;
}

/* The figures' names in documents, in this order everywhere. */
static const char *const FIGURE_NAMES[] = {"orders",	    "gmv",	   "commission",
					   "service_fee",   "service_fee_settled",
					   "service_fee_estimated", "refunds", "refund_gmv",
					   "refund_service_fee"};
#define N_FIGURES (sizeof(FIGURE_NAMES) / sizeof(FIGURE_NAMES[0]))

void stmt_figures_json(json_t *obj, const struct stmt_figures *f)
{
	const int64_t v[N_FIGURES] = {f->orders,	f->gmv,	    f->commission,
				      f->fee,		f->fee_settled, f->fee_estimated,
				      f->refunds,	f->refund_gmv,  f->refund_fee};
	for (size_t i = 0; i < N_FIGURES; i++)
		json_object_set_new(obj, FIGURE_NAMES[i], json_integer((json_int_t)v[i]));
}

/* ---- states ---- */

static const char *const STATES[] = {"draft", "sent", "confirmed", "invoiced"};
static const char *const MOVES[] = {"send", "confirm", "invoice", "reopen"};

const char *stmt_state_name(enum stmt_state s)
{
	return (unsigned)s < 4 ? STATES[s] : "?";
}

bool stmt_state_parse(const char *s, enum stmt_state *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, STATES[i]) == 0) {
			*out = (enum stmt_state)i;
			return true;
		}
	return false;
}

const char *stmt_move_name(enum stmt_move m)
{
	return (unsigned)m < 4 ? MOVES[m] : "?";
}

bool stmt_move_parse(const char *s, enum stmt_move *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, MOVES[i]) == 0) {
			*out = (enum stmt_move)i;
			return true;
		}
	return false;
}

bool stmt_move_to(enum stmt_state from, enum stmt_move m, enum stmt_state *to)
{
	static const struct {
		enum stmt_state from;
		enum stmt_move move;
		enum stmt_state to;
	} moves[] = {
		{STMT_DRAFT, STMT_SEND, STMT_SENT},
		{STMT_SENT, STMT_CONFIRM, STMT_CONFIRMED},
		{STMT_CONFIRMED, STMT_INVOICE, STMT_INVOICED},
		{STMT_SENT, STMT_REOPEN, STMT_DRAFT},
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (moves[i].from == from && moves[i].move == m) {
			*to = moves[i].to;
			return true;
		}
	return false;
}

/* ---- months ---- */

bool stmt_month_parse(const char *s, int64_t *month)
{
	int y = 0, m = 0;
	size_t n = strlen(s);
	if (n == 6) {
		for (size_t i = 0; i < 6; i++)
			if (s[i] < '0' || s[i] > '9')
				return false;
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[4] - '0') * 10 + (s[5] - '0');
	} else if (n == 7 && s[4] == '-') {
		for (size_t i = 0; i < 7; i++)
			if (i != 4 && (s[i] < '0' || s[i] > '9'))
				return false;
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[5] - '0') * 10 + (s[6] - '0');
	} else {
		return false;
	}
	if (y < 2000 || y > 2099 || m < 1 || m > 12)
		return false;
	*month = (int64_t)y * 100 + m;
	return true;
}

void stmt_month_bounds(int64_t month, int64_t *from, int64_t *to)
{
	int y = (int)(month / 100), m = (int)(month % 100);
	int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
	*from = tktime_days_from_civil(y, m, 1) * 86400 - TKTIME_BEIJING_OFFSET;
	*to = tktime_days_from_civil(ny, nm, 1) * 86400 - TKTIME_BEIJING_OFFSET;
}

/* ---- changes since sent ---- */

static void diff_add(json_t *out, const char *what, json_t *sent, json_t *now)
{
	json_array_append_new(out, json_pack("{s:s, s:o, s:o}", "what", what, "sent",
					     sent ? sent : json_null(), "now",
					     now ? now : json_null()));
}

static void diff_figures(json_t *out, const char *prefix, const json_t *a, const json_t *b)
{
	char what[256];
	for (size_t i = 0; i < N_FIGURES; i++) {
		json_t *x = json_object_get(a, FIGURE_NAMES[i]);
		json_t *y = json_object_get(b, FIGURE_NAMES[i]);
		if (json_integer_value(x) == json_integer_value(y))
			continue;
		snprintf(what, sizeof(what), "%s.%s", prefix, FIGURE_NAMES[i]);
		diff_add(out, what, json_incref(x), json_incref(y));
	}
}

static void line_key(const json_t *line, char *buf, size_t size)
{
	snprintf(buf, size, "line %lld/%s",
		 (long long)json_integer_value(json_object_get(line, "campaign")),
		 json_string_value(json_object_get(line, "product"))
			 ? json_string_value(json_object_get(line, "product"))
			 : "");
}

static const json_t *find_line(const json_t *lines, const char *key)
{
	size_t i;
	json_t *l;
	char k[256];
	json_array_foreach(lines, i, l)
	{
		line_key(l, k, sizeof(k));
		if (strcmp(k, key) == 0)
			return l;
	}
	return NULL;
}

json_t *stmt_figures_diff(const json_t *sent, const json_t *now)
{
	json_t *out = json_array();
	if (!out)
		return NULL;
	diff_figures(out, "totals", json_object_get(sent, "totals"), json_object_get(now, "totals"));
	static const char *const SLOT_TOTALS[] = {"slot_fee_collected", "slot_fee_outstanding"};
	for (size_t i = 0; i < 2; i++) {
		json_t *x = json_object_get(json_object_get(sent, "totals"), SLOT_TOTALS[i]);
		json_t *y = json_object_get(json_object_get(now, "totals"), SLOT_TOTALS[i]);
		if (json_integer_value(x) != json_integer_value(y)) {
			char what[64];
			snprintf(what, sizeof(what), "totals.%s", SLOT_TOTALS[i]);
			diff_add(out, what, json_incref(x), json_incref(y));
		}
	}
	const json_t *a = json_object_get(sent, "lines"), *b = json_object_get(now, "lines");
	size_t i;
	json_t *l;
	char key[256];
	/* lines as sent, changed or gone; then lines that are new */
	json_array_foreach(a, i, l)
	{
		line_key(l, key, sizeof(key));
		const json_t *other = find_line(b, key);
		if (!other)
			diff_add(out, key, json_incref(json_object_get(l, "gmv")), NULL);
		else
			diff_figures(out, key, l, other);
	}
	json_array_foreach(b, i, l)
	{
		line_key(l, key, sizeof(key));
		if (!find_line(a, key))
			diff_add(out, key, NULL, json_incref(json_object_get(l, "gmv")));
	}
	size_t ns = json_array_size(json_object_get(sent, "slot_fees"));
	size_t nn = json_array_size(json_object_get(now, "slot_fees"));
	if (ns != nn)
		diff_add(out, "slot_fees", json_integer((json_int_t)ns), json_integer((json_int_t)nn));
	return out;
}
