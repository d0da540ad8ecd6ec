/* engine.h — the money core's operations: the imperative shell around the
 * pure domain (plan, order, ledger) and the store.
 *
 * Each operation that writes runs in one store transaction: on error
 * nothing of it is applied.  Order import runs in batches: rows between
 * engine_import_begin() and engine_import_commit() commit together, and a
 * rejected row applies nothing.  Times are unix seconds. */
#ifndef TK_ENGINE_H
#define TK_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/order.h"
#include "core/plan.h"
#include "store/store.h"

struct engine;

/* Opens the engine on a store built by store_open (whichever backend); the
 * engine owns st from then on, and closes it on failure too. */
enum tk_rc engine_open(struct store *st, struct engine **out, struct tk_error *err);
void engine_close(struct engine *e);
struct store *engine_store(struct engine *e);

/* Brings what the engine keeps in memory (the member tree, the active
 * plan) up to what the database holds now, whoever changed it: called
 * before each unit of work, inside its transaction when it writes, so
 * that every process attributes and splits as one process would. */
enum tk_rc engine_catch_up(struct engine *e, struct tk_error *err);

/* The wall clock, or TUIKE_NOW (ISO 8601) when set, for reproducible runs. */
int64_t engine_now(void);

/* ---- plans ---- */
enum tk_rc engine_plan_set(struct engine *e, const char *json, size_t len, int64_t *version,
			   struct tk_error *err);
/* The plan of a version (0 = active).  The pointer stays valid until close. */
enum tk_rc engine_plan_get(struct engine *e, int64_t version, const struct plan **plan,
			   int64_t *version_out, struct tk_error *err);

/* ---- members ---- */
enum tk_rc engine_member_add(struct engine *e, const char *ext, const char *parent_ext,
			     const char *level, const char *name, struct member_rec *out,
			     struct tk_error *err);
/* A write an application module makes in the transaction that adds member
 * m (its password): an error rolls the member back with it. */
typedef enum tk_rc (*engine_member_write)(void *ctx, struct store *st, const struct member_rec *m,
					  struct tk_error *err);
/* engine_member_add, with `with` (NULL: nothing) called inside its
 * transaction once the member is written. */
enum tk_rc engine_member_add_with(struct engine *e, const char *ext, const char *parent_ext,
				  const char *level, const char *name, engine_member_write with,
				  void *ctx, struct member_rec *out, struct tk_error *err);
/* Registers member `ext` under the inviter the invite code or link names,
 * at the plan's default level.  The inviter is then fixed (only an
 * operator's move changes it).  TK_EINVAL names the "invite" field when
 * the code is malformed or names no member. */
enum tk_rc engine_member_register(struct engine *e, const char *ext, const char *invite,
				  const char *name, struct member_rec *out, struct tk_error *err);
/* engine_member_register, with `with` written in the member's transaction
 * (engine_member_add_with). */
enum tk_rc engine_member_register_with(struct engine *e, const char *ext, const char *invite,
				       const char *name, engine_member_write with, void *ctx,
				       struct member_rec *out, struct tk_error *err);

enum tk_rc engine_member_get(struct engine *e, const char *ext, struct member_rec *out,
			     struct tk_error *err);
enum tk_rc engine_member_set_level(struct engine *e, const char *ext, const char *level,
				   struct tk_error *err);

/* Reads JSON Lines {"id","parent","level","name"}; a parent may be defined on
 * an earlier line.  Bad lines are reported through `report` and skipped. */
struct import_stats {
	int64_t read, applied, unchanged, rejected;
};
typedef void (*engine_reject_cb)(void *ctx, const struct tk_error *err);
enum tk_rc engine_member_import(struct engine *e, FILE *in, const char *name,
				struct import_stats *stats, engine_reject_cb report, void *ctx,
				struct tk_error *err);

/* Invite codes are derived from the internal id (8 characters, unique). */
void engine_invite_code(int64_t member_id, char out[16]);
bool engine_invite_decode(const char *code, int64_t *member_id);
#define MEMBER_INVITE_MAX 512  /* bytes of an invite code or link (registration) */

/* ---- orders ---- */
enum import_outcome { IMPORT_APPLIED, IMPORT_UNCHANGED };
enum tk_rc engine_import_begin(struct engine *e, struct tk_error *err);
/* Applies one normalized row inside the open batch.  TK_EINVAL etc.: the row
 * is rejected and nothing of it applied (the batch goes on); TK_EIO: the
 * batch is broken and must be rolled back. */
enum tk_rc engine_import_row(struct engine *e, const struct order_row *row,
			     enum import_outcome *outcome, struct tk_error *err);
enum tk_rc engine_import_commit(struct engine *e, struct tk_error *err);
/* Says which rows come next in the open batch, so that the store may read
 * their items in one go (store_ops.item_ahead); nothing is applied.  An
 * error (TK_EIO) breaks the batch. */
enum tk_rc engine_import_ahead(struct engine *e, const struct order_row *rows, int n,
			       struct tk_error *err);
void engine_import_rollback(struct engine *e);
/* Whether the open batch has held the write lock for ENGINE_BATCH_MS: a
 * long import then commits and begins the next batch, so that every other
 * writer (an API call) waits at most about one batch, well within the
 * store's 10 s wait, and readers never wait at all. */
#define ENGINE_BATCH_MS 1000
bool engine_import_due(const struct engine *e);

/* One split line as shown to people: who earned what, at which tier, by
 * which rule. */
struct item_view {
	struct item_rec item;
	struct plan_split split;     /* recomputed from plan version + chain */
	char member_ext[PLAN_MAX_TIERS][ORDER_KEY_MAX];
	char level_key[PLAN_MAX_TIERS][PLAN_KEY_MAX];
};
enum tk_rc engine_order_show(struct engine *e, const char *union_, const char *key,
			     struct item_view *out, struct tk_error *err);

/* Attributes the items left unattributed (first seen at or after `since`)
 * whose buyer, link or tag names a member now (a tag registered after its
 * first orders came in): each with the plan version and chain it would
 * have had at first sight, by new transfers, with the reason in its
 * history.  Running it twice changes nothing the second time.  `seen` is
 * told each item it attributes (or would, with dry_run: then nothing is
 * written); it may be NULL. */
struct reattribute_stats {
	int64_t examined, reattributed;
};
typedef void (*engine_reattributed_cb)(void *ctx, const struct item_rec *it,
				       const char *sharer_ext, const char *reason);
enum tk_rc engine_orders_reattribute(struct engine *e, int64_t since, bool dry_run,
				     struct reattribute_stats *out, engine_reattributed_cb seen,
				     void *ctx, struct tk_error *err);

/* ---- settlement ---- */
/* Moves frozen money whose hold has passed by `now` to available.  `now`
 * may be earlier than the clock (releasing less), never later: TK_EINVAL
 * (field "now") for a time after engine_now(), as that would release money
 * before its hold has passed. */
enum tk_rc engine_settle(struct engine *e, int64_t now, int64_t *released_items,
			 int64_t *released_fen, struct tk_error *err);

/* ---- balances ---- */
struct balance {
	int64_t pending, frozen, available, withdrawing, paid;
};
enum tk_rc engine_balance(struct engine *e, const char *ext, struct balance *out,
			  struct tk_error *err);

/* ---- withdrawals ---- */
enum wd_action { WD_APPROVE, WD_PAY, WD_REJECT };
enum tk_rc engine_withdraw_request(struct engine *e, const char *ext, int64_t amount,
				   const char *method, const char *account,
				   struct withdrawal_rec *out, struct tk_error *err);
/* The same with the payee's real name for the payout file (NULL or "":
 * the member's name is used): at most WD_PAYEE_MAX - 1 bytes of UTF-8
 * without control characters, else TK_EINVAL / TK_ELIMIT naming "payee". */
enum tk_rc engine_withdraw_request_to(struct engine *e, const char *ext, int64_t amount,
				      const char *method, const char *account, const char *payee,
				      struct withdrawal_rec *out, struct tk_error *err);
/* Where a withdrawal goes (each NULL or "" when not given): the method
 * (alipay when none), the account (the Alipay account, the WeChat id, the
 * bank card's number), the payee's real name, and for method bank the
 * bank's name and the branch (开户支行) that the bank's payout template
 * asks for.  Texts are UTF-8 without control characters, at most
 * WD_PAYEE_MAX - 1 / WD_BANK_MAX - 1 bytes; bank and branch with another
 * method are TK_EINVAL naming them. */
struct wd_target {
	const char *method, *account, *payee, *bank, *branch;
};
enum tk_rc engine_withdraw_ask(struct engine *e, const char *ext, int64_t amount,
			       const struct wd_target *to, struct withdrawal_rec *out,
			       struct tk_error *err);
/* Approves, pays or rejects a withdrawal.  TK_ECONFLICT when its status
 * does not allow the step (field "status"), or when approving or paying it
 * while the member's available balance is negative: the member owes money
 * after a clawback (field WD_DEBT_FIELD).  Rejecting is always allowed on
 * an open withdrawal: its money returns to available.  A rejection needs
 * `reason`, which its member is shown: 1..WD_REASON_CHARS characters of
 * UTF-8, not only spaces, no control characters (TK_EINVAL / TK_ELIMIT
 * naming "reason"); the other steps take none (NULL). */
enum tk_rc engine_withdraw_decide(struct engine *e, int64_t id, enum wd_action action,
				  const char *reason, struct withdrawal_rec *out,
				  struct tk_error *err);
#define WD_DEBT_FIELD "available"
#define WD_BLOCKED_DEBT "member_in_debt" /* the reason's name, in the API too */
const char *wd_status_name(enum wd_status s);
/* Whether a withdrawal in status s can be neither approved nor paid now:
 * it is open and the member's available balance is negative. */
bool wd_blocked(enum wd_status s, int64_t available);
/* The member's available balance now and whether w is blocked by it. */
enum tk_rc engine_withdraw_standing(struct engine *e, const struct withdrawal_rec *w,
				    int64_t *available, bool *blocked, struct tk_error *err);

/* ---- reports and audit ---- */
enum tk_rc engine_report_totals(struct engine *e, struct report_totals *out,
				struct tk_error *err);

#define AUDIT_MAX_FINDINGS 64
struct audit_report {
	int64_t transfers, accounts, items, withdrawals;
	int64_t total; /* sum over all balances: must be 0 */
	int n_findings;
	int64_t n_failed; /* all failures, even beyond the ones listed */
	char findings[AUDIT_MAX_FINDINGS][256];
};
/* Checks every ledger invariant; out->n_failed == 0 when all hold. */
enum tk_rc engine_audit(struct engine *e, struct audit_report *out, struct tk_error *err);

#endif
