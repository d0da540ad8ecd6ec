/* members.c — members, their invitation tree and invite codes.
 *
 * The tree can never hold a cycle: a member gets its parent when it is
 * created and the parent must already exist; the only move (an
 * operator's, growth_members.c) refuses a new parent inside the team.
 * Registration by invite code is an add under the member the code names.
 * Direct and whole-team counts are kept on write: adding a member adds one
 * to its parent's direct count and to the team count of every ancestor. */
#include "engine/engine_internal.h"
#include "engine/member_event.h"
#include "input/line_reader.h"
#include "actions/actions.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- growth's hook ---- */

/* Tells growth what happened to members (member_event.h): the one call
 * from here into growth. */
static enum tk_rc tell_growth(struct engine *e, enum member_event_kind kind,
			      const struct member_rec *m, const char *to, struct tk_error *err)
{
	struct member_event ev = {.kind = kind, .m = m, .to = to};
	return growth_on_member_event(e, &ev, err);
}

/* After a rollback: growth forgets what the transaction told it. */
static void member_rollback(struct engine *e)
{
	struct tk_error ignore;
	(void)tell_growth(e, MEMBER_EV_ROLLBACK, NULL, NULL, &ignore);
}

/* ---- invite codes ---- */

/* An invite code is the member id run through a bijection of 40-bit
 * numbers and written in 8 base-32 digits without 0, 1, I and O: unique
 * by construction, not guessable at a glance, and decodable without a
 * lookup table. */
static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
#define CODE_BITS 40
#define CODE_MASK ((UINT64_C(1) << CODE_BITS) - 1)
#define CODE_MUL_A UINT64_C(0x5DEECE66D)
#define CODE_MUL_B UINT64_C(0x9E3779B97)

static uint64_t mul_inverse(uint64_t a)
{
	uint64_t inv = a; /* Newton's iteration doubles the correct bits each step */
	for (int i = 0; i < 6; i++)
		inv *= 2 - a * inv;
	return inv;
}

void engine_invite_code(int64_t member_id, char out[16])
{
	uint64_t x = (uint64_t)member_id & CODE_MASK;
	x = (x * CODE_MUL_A) & CODE_MASK;
	x ^= x >> 20;
	x = (x * CODE_MUL_B) & CODE_MASK;
	x ^= x >> 20;
	for (int i = 7; i >= 0; i--) {
		out[i] = code_alphabet[x & 31];
		x >>= 5;
	}
	out[8] = '\0';
}

bool engine_invite_decode(const char *code, int64_t *member_id)
{
	uint64_t x = 0;
	if (strlen(code) != 8)
		return false;
	for (int i = 0; i < 8; i++) {
		const char *p = strchr(code_alphabet, code[i] >= 'a' && code[i] <= 'z'
							      ? code[i] - 'a' + 'A' : code[i]);
		if (!p || !*p)
			return false;
		x = x << 5 | (uint64_t)(p - code_alphabet);
	}
	x ^= x >> 20;
	x = (x * mul_inverse(CODE_MUL_B)) & CODE_MASK;
	x ^= x >> 20;
	x = (x * mul_inverse(CODE_MUL_A)) & CODE_MASK;
	if (x == 0 || x > INT64_MAX)
		return false;
	*member_id = (int64_t)x;
	return true;
}

static bool code_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Copies the code that starts at s (up to a separator) into out. */
static bool take_code(const char *s, char code[16])
{
	size_t n = 0;
	while (code_char(s[n]) && n < 9)
		n++;
	if (n != 8 || (s[n] && s[n] != '&' && s[n] != '#' && s[n] != '?' && s[n] != '/'))
		return false;
	memcpy(code, s, 8);
	code[8] = '\0';
	return true;
}

/* The invite code in `text`: a bare code ("7KQ2M9XD"), or a link that
 * carries one as its last path segment or as ?invite=CODE / &code=CODE.
 * False when none is found. */
static bool invite_parse(const char *text, char code[16])
{
	size_t len = strlen(text);
	if (len == 0 || len > MEMBER_INVITE_MAX)
		return false;
	static const char *const params[] = {"?invite=", "&invite=", "?code=", "&code="};
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		const char *at = strstr(text, params[i]);
		if (at)
			return take_code(at + strlen(params[i]), code);
	}
	/* the last path segment, without a query or fragment */
	const char *end = text + strcspn(text, "?#");
	while (end > text && end[-1] == '/')
		end--;
	const char *start = end;
	while (start > text && start[-1] != '/')
		start--;
	if (end - start != 8)
		return false;
	for (const char *c = start; c < end; c++)
		if (!code_char(*c))
			return false;
	memcpy(code, start, 8);
	code[8] = '\0';
	return true;
}

static enum tk_rc member_add(struct engine *e, const char *ext, const char *parent_ext,
			     const char *level, const char *name, engine_member_write with,
			     void *ctx, bool logged, struct member_rec *out, struct tk_error *err);

enum tk_rc engine_member_register(struct engine *e, const char *ext, const char *invite,
				  const char *name, struct member_rec *out, struct tk_error *err)
{
	return engine_member_register_with(e, ext, invite, name, NULL, NULL, out, err);
}

enum tk_rc engine_member_register_with(struct engine *e, const char *ext, const char *invite,
				       const char *name, engine_member_write with, void *ctx,
				       struct member_rec *out, struct tk_error *err)
{
	char code[16];
	int64_t inviter;
	struct member_rec parent;
	if (!invite || !*invite)
		return tk_fail_key(err, TK_EINVAL, "invite", "invite.required",
				   "an invite code or link is required");
	if (!invite_parse(invite, code) || !engine_invite_decode(code, &inviter))
		return tk_fail_key(err, TK_EINVAL, "invite", "invite.malformed",
				   "\"%.80s\" is not an invite code (8 letters and digits) or a "
				   "link carrying one",
				   invite);
	enum tk_rc rc = e->st->ops->member_get_id(e->st, inviter, &parent, err);
	if (rc == TK_ENOTFOUND) {
		tk_fail_key(err, TK_EINVAL, "invite", "invite.unknown",
			    "invite code %s names no member", code);
		tk_error_str(err, "code", code);
		return TK_EINVAL;
	}
	if (rc)
		return rc;
	return member_add(e, ext, parent.ext, NULL, name, with, ctx, false, out, err);
}

/* ---- validation ---- */

static enum tk_rc check_ext(const char *field, const char *ext, struct tk_error *err)
{
	size_t n = strlen(ext);
	if (n == 0)
		return tk_fail_key(err, TK_EINVAL, field, "field.required", "is required");
	if (n > 64) {
		tk_fail_key(err, TK_ELIMIT, field, "field.too_long", "is longer than 64 bytes");
		tk_error_int(err, "max", 64);
		return TK_ELIMIT;
	}
	for (const unsigned char *p = (const unsigned char *)ext; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return tk_fail_key(err, TK_EINVAL, field, "member.id_chars",
					   "must not contain spaces or control characters, got \"%s\"",
					   ext);
	return TK_OK;
}

/* The level a new member gets: the given key if the active plan has it, or
 * the plan's default; without a plan, the key as given or "member".  Called
 * inside the write transaction, after catching up (engine_tx_begin): the
 * plan in memory is then the one active when the member is written. */
static enum tk_rc resolve_level(struct engine *e, const char *level, char out[PLAN_KEY_MAX],
				struct tk_error *err)
{
	const struct plan *p = NULL;
	struct tk_error perr;
	enum tk_rc rc = engine_plan_get(e, 0, &p, NULL, &perr);
	if (rc == TK_ENOTFOUND) {
		p = NULL;
	} else if (rc) { /* a failed read is not "no plan" */
		*err = perr;
		return rc;
	}
	if (level && *level) {
		if (p && plan_level_index(p, level) < 0) {
			tk_fail_key(err, TK_EINVAL, "level", "member.unknown_level",
				    "\"%s\" is not a level of the active plan", level);
			tk_error_str(err, "level", level);
			return TK_EINVAL;
		}
		if (strlen(level) >= PLAN_KEY_MAX)
			return tk_fail(err, TK_ELIMIT, "level", "is longer than %d bytes",
				       PLAN_KEY_MAX - 1);
		snprintf(out, PLAN_KEY_MAX, "%s", level);
	} else {
		snprintf(out, PLAN_KEY_MAX, "%s", p ? p->levels[p->default_level].key : "member");
	}
	return TK_OK;
}

/* ---- the tree in memory ---- */

static bool tree_put_cb(void *ctx, const struct member_rec *m)
{
	struct engine *e = ctx;
	struct tk_error err;
	return member_tree_put(&e->tree, m->id, m->ext, m->parent, m->level, m->depth,
			       m->direct_count, m->team_count, &err) == TK_OK;
}

enum tk_rc engine_tree_load(struct engine *e, struct tk_error *err)
{
	if (e->tree_loaded)
		return TK_OK;
	enum tk_rc rc = e->st->ops->member_each(e->st, tree_put_cb, e, err);
	if (rc) {
		member_tree_free(&e->tree);
		return rc;
	}
	e->tree_loaded = true;
	return TK_OK;
}

/* ---- single operations ---- */

enum tk_rc engine_member_add(struct engine *e, const char *ext, const char *parent_ext,
			     const char *level, const char *name, struct member_rec *out,
			     struct tk_error *err)
{
	return member_add(e, ext, parent_ext, level, name, NULL, NULL, true, out, err);
}

enum tk_rc engine_member_add_with(struct engine *e, const char *ext, const char *parent_ext,
				  const char *level, const char *name, engine_member_write with,
				  void *ctx, struct member_rec *out, struct tk_error *err)
{
	return member_add(e, ext, parent_ext, level, name, with, ctx, true, out, err);
}

/* The action log's entry of an operator's add: nothing before, the member
 * after. */
static enum tk_rc log_member_add(struct engine *e, const struct member_rec *m,
				 const char *parent_ext, struct tk_error *err)
{
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "member:%s", m->ext);
	json_t *after = json_pack("{s:s, s:s?, s:s, s:s}", "id", m->ext, "parent",
				  parent_ext && *parent_ext ? parent_ext : NULL, "level", m->level,
				  "name", m->name);
	enum tk_rc rc = actions_record(e->st, m->created_at, "member.create", subject, NULL, after,
				       err);
	json_decref(after);
	return rc;
}

/* Adds a member; `logged`: an operator's add, written to the action log in
 * the member's transaction (a registration is the member's own doing). */
static enum tk_rc member_add(struct engine *e, const char *ext, const char *parent_ext,
			     const char *level, const char *name, engine_member_write with,
			     void *ctx, bool logged, struct member_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	struct member_rec m = {0}, parent = {0};
	if ((rc = check_ext("id", ext, err)))
		return rc;
	if (parent_ext && *parent_ext && strcmp(parent_ext, ext) == 0)
		return tk_fail_key(err, TK_EINVAL, "parent", "member.own_parent",
				   "a member cannot be its own parent (\"%s\")", ext);
	if (name && strlen(name) >= MEMBER_NAME_MAX)
		return tk_fail(err, TK_ELIMIT, "name", "is longer than %d bytes", MEMBER_NAME_MAX - 1);
	snprintf(m.ext, sizeof(m.ext), "%s", ext);
	snprintf(m.name, sizeof(m.name), "%s", name ? name : "");
	m.created_at = engine_now();

	if ((rc = engine_tx_begin(e, err)))
		return rc;
	/* The level (or the plan's default) by the plan active now that the
	 * engine has caught up under the write lock: a plan another process
	 * set while this one waited for the lock decides it. */
	if ((rc = resolve_level(e, level, m.level, err)))
		goto out;
	if (parent_ext && *parent_ext) {
		if ((rc = e->st->ops->member_get(e->st, parent_ext, &parent, err))) {
			if (rc == TK_ENOTFOUND) {
				tk_fail_key(err, TK_EINVAL, "parent", "member.unknown_parent",
					    "no member \"%s\"", parent_ext);
				tk_error_str(err, "parent", parent_ext);
			}
			rc = rc == TK_ENOTFOUND ? TK_EINVAL : rc;
			goto out;
		}
		m.parent = parent.id;
		m.depth = parent.depth + 1;
	}
	if ((rc = e->st->ops->member_insert(e->st, &m, err)) ||
	    (rc = rollup_add(&e->rollup, rollup_day(m.created_at), DIM_TOTAL, "", STAT_NEW_MEMBERS,
			     1, err)) ||
	    (rc = rollup_flush(&e->rollup, e->st, err)))
		goto out;
	/* direct count of the parent, team count of every ancestor */
	for (int64_t a = m.parent, first = 1; a; first = 0) {
		struct member_rec anc;
		if ((rc = e->st->ops->member_counts_add(e->st, a, first, 1, err)) ||
		    (rc = e->st->ops->member_get_id(e->st, a, &anc, err)))
			goto out;
		a = anc.parent;
	}
	/* growth: per-level counts and the inviters' upgrades */
	if ((rc = tell_growth(e, MEMBER_EV_ADDED, &m, NULL, err)))
		goto out;
	/* what the caller writes with the member (its password) commits with
	 * it or not at all */
	if (with && (rc = with(ctx, e->st, &m, err)))
		goto out;
	if (logged && (rc = log_member_add(e, &m, parent_ext, err)))
		goto out;
	rc = e->st->ops->tx_commit(e->st, err);
out:
	if (rc) {
		e->st->ops->tx_rollback(e->st);
		rollup_clear(&e->rollup);
		member_rollback(e);
		return rc;
	}
	if (e->tree_loaded) {
		struct tk_error ignore;
		if (member_tree_put(&e->tree, m.id, m.ext, m.parent, m.level, m.depth, 0, 0,
				    &ignore))
			e->tree_loaded = false, member_tree_free(&e->tree);
		for (int64_t a = m.parent, first = 1; e->tree_loaded && a > 0;
		     a = e->tree.parent[a], first = 0) {
			e->tree.direct[a] += first;
			e->tree.team[a]++;
		}
	}
	if (out)
		*out = m;
	return TK_OK;
}

enum tk_rc engine_member_get(struct engine *e, const char *ext, struct member_rec *out,
			     struct tk_error *err)
{
	return e->st->ops->member_get(e->st, ext, out, err);
}

/* The action log's entry of an operator's level change (m: as it was). */
static enum tk_rc log_level(struct engine *e, const struct member_rec *m, const char *level,
			    struct tk_error *err)
{
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "member:%s", m->ext);
	json_t *before = json_pack("{s:s}", "level", m->level);
	json_t *after = json_pack("{s:s}", "level", level);
	enum tk_rc rc = actions_record(e->st, engine_now(), "member.level", subject, before, after,
				       err);
	json_decref(before);
	json_decref(after);
	return rc;
}

enum tk_rc engine_member_set_level(struct engine *e, const char *ext, const char *level,
				   struct tk_error *err)
{
	struct member_rec m;
	char key[PLAN_KEY_MAX];
	enum tk_rc rc;
	if (!level || !*level)
		return tk_fail(err, TK_EINVAL, "level", "is required");
	if ((rc = engine_tx_begin(e, err)))
		return rc;
	/* checked against the plan active once caught up (see member_add) */
	if ((rc = resolve_level(e, level, key, err)) ||
	    (rc = e->st->ops->member_get(e->st, ext, &m, err)) ||
	    (rc = e->st->ops->member_set_level(e->st, m.id, key, err)) ||
	    (rc = tell_growth(e, MEMBER_EV_LEVEL_SET, &m, key, err)) || /* history, counts */
	    (rc = log_level(e, &m, key, err)) ||
	    (rc = e->st->ops->tx_commit(e->st, err))) {
		e->st->ops->tx_rollback(e->st);
		member_rollback(e);
		return rc;
	}
	if (e->tree_loaded && member_tree_set_level(&e->tree, m.id, key, err))
		e->tree_loaded = false, member_tree_free(&e->tree);
	return TK_OK;
}

/* ---- bulk import ---- */

/* Members per transaction: each batch writes every member whose counts
 * it changed once, and the ancestors near the roots change in every
 * batch, so larger batches write them fewer times. */
#define MEMBER_IMPORT_BATCH 250000
#define MEMBER_LINE_MAX 65536 /* bytes of one JSON Lines record */

struct member_import {
	struct engine *e;
	uint8_t *dirty; /* [id] counts changed in this batch */
	int64_t dirty_cap;
	int64_t *touched;
	int64_t n_touched, touched_cap;
};

static enum tk_rc mark_dirty(struct member_import *mi, int64_t id, struct tk_error *err)
{
	if (id >= mi->dirty_cap) {
		int64_t cap = mi->dirty_cap ? mi->dirty_cap : 4096;
		while (cap <= id)
			cap *= 2;
		uint8_t *d = realloc(mi->dirty, (size_t)cap);
		if (!d)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		memset(d + mi->dirty_cap, 0, (size_t)(cap - mi->dirty_cap));
		mi->dirty = d;
		mi->dirty_cap = cap;
	}
	if (mi->dirty[id])
		return TK_OK;
	if (mi->n_touched == mi->touched_cap) {
		int64_t cap = mi->touched_cap ? mi->touched_cap * 2 : 4096;
		int64_t *t = realloc(mi->touched, (size_t)cap * sizeof(*t));
		if (!t)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		mi->touched = t;
		mi->touched_cap = cap;
	}
	mi->dirty[id] = 1;
	mi->touched[mi->n_touched++] = id;
	return TK_OK;
}

/* Writes the batch's team counts and new-member statistics; the counts in
 * id order, so that each write lands beside the one before it. */
static enum tk_rc flush_counts(struct member_import *mi, struct tk_error *err)
{
	struct engine *e = mi->e;
	enum tk_rc rc = rollup_flush(&e->rollup, e->st, err);
	if (rc || (rc = tell_growth(e, MEMBER_EV_FLUSH, NULL, NULL, err)))
		return rc;
	if (mi->n_touched)
		qsort(mi->touched, (size_t)mi->n_touched, sizeof(*mi->touched), engine_i64_cmp);
	for (int64_t i = 0; i < mi->n_touched; i++) {
		int64_t id = mi->touched[i];
		rc = e->st->ops->member_counts_set(e->st, id, e->tree.direct[id], e->tree.team[id],
						   err);
		if (rc)
			return rc;
		mi->dirty[id] = 0;
	}
	mi->n_touched = 0;
	return TK_OK;
}

static const char *json_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* One line: parse, check, then write.  Rejections happen before any write. */
static enum tk_rc import_member_line(struct member_import *mi, const char *line, size_t len,
				     enum import_outcome *outcome, struct tk_error *err)
{
	struct engine *e = mi->e;
	json_error_t jerr;
	enum tk_rc rc = TK_OK;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return tk_fail(err, TK_EINVAL, "", "not valid JSON: %s", jerr.text);
	if (!json_is_object(o)) {
		rc = tk_fail(err, TK_EINVAL, "", "must be a JSON object");
		goto out;
	}
	const char *fields[] = {"id", "parent", "level", "name"};
	for (size_t i = 0; i < 4; i++) {
		json_t *v = json_object_get(o, fields[i]);
		if (v && !json_is_string(v) && !(i != 0 && json_is_null(v))) {
			rc = tk_fail(err, TK_EINVAL, fields[i], "must be a string");
			goto out;
		}
	}
	const char *ext = json_str(o, "id"), *parent_ext = json_str(o, "parent");
	const char *level = json_str(o, "level"), *name = json_str(o, "name");
	if ((rc = check_ext("id", ext ? ext : "", err)))
		goto out;
	if (name && strlen(name) >= MEMBER_NAME_MAX) {
		rc = tk_fail(err, TK_ELIMIT, "name", "is longer than %d bytes", MEMBER_NAME_MAX - 1);
		goto out;
	}
	char key[PLAN_KEY_MAX];
	if ((rc = resolve_level(e, level, key, err)))
		goto out;
	int64_t parent = 0;
	if (parent_ext && *parent_ext) {
		if (strcmp(parent_ext, ext) == 0) {
			rc = tk_fail(err, TK_EINVAL, "parent",
				     "a member cannot be its own parent (\"%s\")", ext);
			goto out;
		}
		parent = member_tree_find(&e->tree, parent_ext);
		if (!parent) {
			rc = tk_fail(err, TK_EINVAL, "parent",
				     "no member \"%s\" (a parent must be defined first)", parent_ext);
			goto out;
		}
	}
	int64_t id = member_tree_find(&e->tree, ext);
	if (id) { /* known: the parent is fixed; a new level is applied */
		if (e->tree.parent[id] != parent) {
			rc = tk_fail(err, TK_ECONFLICT, "parent",
				     "member \"%s\" already exists under \"%s\"; an inviter is fixed",
				     ext, member_tree_ext(&e->tree, e->tree.parent[id]));
			goto out;
		}
		if (strcmp(member_tree_level(&e->tree, id), key) == 0 || !level) {
			*outcome = IMPORT_UNCHANGED;
			goto out;
		}
		struct member_event ev = {MEMBER_EV_IMPORT_LEVEL, .id = id,
					  .from = member_tree_level(&e->tree, id), .to = key};
		if ((rc = growth_on_member_event(e, &ev, err)) ||
		    (rc = e->st->ops->member_set_level(e->st, id, key, err)) ||
		    (rc = member_tree_set_level(&e->tree, id, key, err)))
			rc = TK_EIO;
		*outcome = IMPORT_APPLIED;
		goto out;
	}
	struct member_rec m = {.parent = parent, .created_at = e->batch_now};
	snprintf(m.ext, sizeof(m.ext), "%s", ext);
	snprintf(m.level, sizeof(m.level), "%s", key);
	snprintf(m.name, sizeof(m.name), "%s", name ? name : "");
	m.depth = parent ? e->tree.depth[parent] + 1 : 0;
	if ((rc = e->st->ops->member_insert(e->st, &m, err)) ||
	    (rc = member_tree_put(&e->tree, m.id, m.ext, m.parent, m.level, m.depth, 0, 0, err)) ||
	    (rc = rollup_add(&e->rollup, rollup_day(m.created_at), DIM_TOTAL, "", STAT_NEW_MEMBERS,
			     1, err))) {
		rc = TK_EIO; /* the batch is broken */
		goto out;
	}
	for (int64_t a = parent, first = 1; a > 0; a = e->tree.parent[a], first = 0) {
		e->tree.direct[a] += first;
		e->tree.team[a]++;
		if ((rc = mark_dirty(mi, a, err)))
			goto out;
	}
	if ((rc = tell_growth(e, MEMBER_EV_IMPORTED, &m, NULL, err))) { /* per-level counts */
		rc = TK_EIO;
		goto out;
	}
	*outcome = IMPORT_APPLIED;
out:
	json_decref(o);
	return rc;
}

/* The action log's entry of an import's transaction: one per batch that
 * commits (not one per member), with the counts so far. */
static enum tk_rc log_import(struct engine *e, const char *name, const struct import_stats *s,
			     struct tk_error *err)
{
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "file:%s", name);
	json_t *after = json_pack("{s:I, s:I, s:I, s:I}", "read", (json_int_t)s->read, "applied",
				  (json_int_t)s->applied, "unchanged", (json_int_t)s->unchanged,
				  "rejected", (json_int_t)s->rejected);
	enum tk_rc rc = actions_record(e->st, e->batch_now, "member.import", subject, NULL, after,
				       err);
	json_decref(after);
	return rc;
}

enum tk_rc engine_member_import(struct engine *e, FILE *in, const char *name,
				struct import_stats *stats, engine_reject_cb report, void *ctx,
				struct tk_error *err)
{
	enum tk_rc rc;
	struct member_import mi = {.e = e};
	struct line_reader lr;
	enum line_got got;
	int64_t in_batch = 0;

	memset(stats, 0, sizeof(*stats));
	line_reader_init(&lr, in, name, MEMBER_LINE_MAX);
	if ((rc = engine_tx_begin(e, err)))
		goto out;
	if ((rc = engine_tree_load(e, err)))
		goto fail;
	e->batch_now = engine_now();
	for (;;) {
		struct tk_error lerr = {0};
		enum import_outcome outcome = IMPORT_UNCHANGED;
		if ((got = line_reader_next(&lr, &lerr)) == LINE_END)
			break;
		if (got == LINE_FAILED) {
			*err = lerr;
			rc = lerr.rc;
			goto fail;
		}
		if (got == LINE_GOT && lr.len == 0)
			continue;
		stats->read++;
		rc = got == LINE_BAD ? lerr.rc : import_member_line(&mi, lr.s, lr.len, &outcome, &lerr);
		if (rc == TK_EIO || rc == TK_ENOMEM) {
			*err = lerr;
			tk_error_where(err, name, lr.lineno);
			goto fail;
		}
		if (rc) {
			stats->rejected++;
			tk_error_where(&lerr, name, lr.lineno);
			if (report)
				report(ctx, &lerr);
			continue;
		}
		outcome == IMPORT_APPLIED ? stats->applied++ : stats->unchanged++;
		if (++in_batch == MEMBER_IMPORT_BATCH) {
			if ((rc = flush_counts(&mi, err)) || (rc = log_import(e, name, stats, err)) ||
			    (rc = engine_mark_current(e, err)) ||
			    (rc = e->st->ops->tx_commit(e->st, err)))
				goto fail;
			/* others' members since: caught up (or the tree reloaded) */
			if ((rc = engine_tx_begin(e, err)))
				goto fail_out;
			if ((rc = engine_tree_load(e, err)))
				goto fail;
			in_batch = 0;
		}
	}
	if ((rc = flush_counts(&mi, err)) || (rc = log_import(e, name, stats, err)) ||
	    (rc = tell_growth(e, MEMBER_EV_COMMIT, NULL, NULL, err)) ||
	    (rc = engine_mark_current(e, err)) || (rc = e->st->ops->tx_commit(e->st, err)))
		goto fail;
	rc = TK_OK;
	goto out;
fail:
	e->st->ops->tx_rollback(e->st);
fail_out:
	rollup_clear(&e->rollup);
	member_rollback(e);
	/* the tree may hold rolled-back members: reload it on next use (and
	 * the rolled-back changes' numbers will be used again) */
	member_tree_free(&e->tree);
	e->tree_loaded = false;
	e->seen_seq = 0;
out:
	line_reader_free(&lr);
	free(mi.dirty);
	free(mi.touched);
	return rc;
}
