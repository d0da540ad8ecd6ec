#!/usr/bin/env bash
# layering.sh — the source tree keeps its layers: link tracking includes
# nothing of the HTTP adapter (no cycle between src/tracking and src/http),
# members tell growth what happened through one hook and growth never calls
# back into members, the plan's JSON lives apart from its model, the
# SQLite backend has one set of row helpers (sqlite.c), and the adapters
# (src/http, src/cli) only parse, call one application operation and
# format: none opens, commits or rolls back a transaction or an engine batch.
set -u
src="$(cd "$(dirname "$0")/../.." && pwd)/src"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# tracking must not include http headers
hits=$(grep -ln '#include "http/' "$src"/tracking/*.[ch] 2>/dev/null)
[ -z "$hits" ] && ok "src/tracking includes nothing of src/http" || fail "tracking includes http: $hits"
for f in clicks click_window link_table links links_convert bots bigmem tags_register; do
	[ -e "$src/http/$f.c" ] && fail "src/http/$f.c is link tracking"
done
grep -q 'line_reader' "$src/cli/cmd_serve.c" && fail "link import is still in the command line"
ok "link tracking lives in src/tracking"

# members.c: growth_on_member_event is its one call into growth
calls=$(grep -o '\bgrowth_[a-z_]*(' "$src/engine/members.c" | sort -u | grep -v '^growth_on_member_event($')
[ -z "$calls" ] && ok "members.c calls growth through one hook" || fail "members.c calls $calls"
for f in "$src"/engine/growth*.c; do
	grep -Eq '\bengine_member_(add|add_with|set_level|import)\(' "$f" &&
		fail "$(basename "$f") calls back into members.c"
done
ok "growth does not call back into members"

# the plan's model without its JSON
grep -q 'json_' "$src/core/plan.c" && fail "src/core/plan.c still reads or writes JSON"
grep -q 'plan_parse' "$src/core/plan_json.c" || fail "src/core/plan_json.c has no plan_parse"
ok "plan.c is the model, plan_json.c its JSON"

# one step-one-row helper, in sqlite.c
dups=$(grep -ln 'static enum tk_rc step_one' "$src"/store/sqlite*.c)
[ -z "$dups" ] && ok "one row helper set (sqlite.c)" || fail "own step_one in $dups"

# units of work belong to the application, not to its adapters
hits=$(grep -nE '\b(tx_begin|tx_begin_read|tx_commit|tx_rollback|engine_[a-z_]*(begin|commit|rollback))\(' \
	"$src"/http/*.[ch] "$src"/cli/*.[ch])
[ -z "$hits" ] && ok "src/http and src/cli open no transaction nor engine batch" ||
	fail "adapters bracket units of work themselves: $hits"

# posters draw what they are given: they read no database and know no HTTP
hits=$(grep -lE '#include "(http|store|engine|tracking)/' "$src"/poster/*.[ch] 2>/dev/null)
[ -z "$hits" ] && ok "src/poster includes nothing of http, store, engine or tracking" ||
	fail "posters reach out: $hits"

[ "$fails" -eq 0 ] || exit 1
