#!/usr/bin/env bash
# groups_api.sh — the pusher over the API: a group's queue and history
# (GET /api/v1/groups/{id}/jobs), its preview (the request body and the
# rendered text, the credential never in it), send now with its
# Idempotency-Key (the same request again: the same job), re-queueing an
# unknown or failed send (409 for another state), and a member's ready
# offers of a manual group (another member's group is 404).  No answer and
# no log line carries a robot's credential.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
feed_members
WECOM_KEY=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa
tk products generate --count 60 --days 30 --seed 7 >/dev/null
tk group add alice wecom 'g-wecom' >/dev/null
tk group add alice manual 'g-hand' >/dev/null
tk group add bob manual 'g-bob' >/dev/null
# a manual group's send, made ready by the pusher (no POST for it)
MJOB=$(tk push now 2 | jq -r .id)
tk push run --once >/dev/null 2>&1
expect_eq "the manual send is ready" "$(db_sql "SELECT state FROM send_jobs WHERE id = $MJOB")" "ready"
OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server --access-log off
: >"$WORK/all"
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
# ex WHAT STATUS METHOD PATH [BODY]: expect_call, keeping every answer
ex() {
	expect_call "$@"
	cat "$WORK/body" >>"$WORK/all"
}
TOKEN=$OPS
ex "the WeCom robot's key" 200 PUT /api/v1/groups/1/credentials "{\"credential\":\"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=$WECOM_KEY\"}"
: >"$WORK/all" # the request above names the key; the answers from here on may not

# --- the queue, empty
ex "an empty queue" 200 GET /api/v1/groups/1/jobs
conforms "a queue page" SendJobPage
expect_eq "no jobs, no next page" "$(body '[.jobs, .page, .per_page, .next_page] | @json')" '[[],1,20,null]'
ex "an unknown group's queue" 404 GET /api/v1/groups/99/jobs
ex "a bad state" 400 GET "/api/v1/groups/1/jobs?state=lost"
ex "a bad page size" 400 GET "/api/v1/groups/1/jobs?per_page=101"

# --- the preview: what the robot would get, the key a placeholder
ex "the preview" 200 GET /api/v1/groups/1/preview
conforms "a preview" SendPreview
expect_eq "a WeCom text message" "$(body '[.kind, .method, .body.msgtype] | join(" ")')" "wecom POST text"
expect_eq "the URL holds a placeholder" "$(body '.url | test("key=CREDENTIAL$")')" "true"
expect_eq "the text is rendered and in the body" "$(body '.text as $t | ($t | length) > 0 and (.body.text.content | contains($t[0:10]))')" "true"
P=$(body '.union + ":" + .product')
ex "the preview of a given product" 200 GET "/api/v1/groups/1/preview?product=$P"
expect_eq "that product" "$(body '.union + ":" + .product')" "$P"
ex "a bad product" 400 GET "/api/v1/groups/1/preview?product=nocolon"
ex "an unknown product" 404 GET "/api/v1/groups/1/preview?product=jd:nosuch"
ex "a manual group's preview" 200 GET /api/v1/groups/2/preview
expect_eq "no URL, the text" "$(body '[.method, .url, (.body.text == .text)] | @json')" '["",null,true]'

# --- send now, with an Idempotency-Key
EXTRA=(-H "Idempotency-Key: send-1")
ex "send now" 201 POST /api/v1/groups/1/send "{\"product\":\"$P\"}"
conforms "a send" SendJob
cp "$WORK/body" "$WORK/first"
JOB=$(body .id)
expect_eq "due now, pending, that product" "$(body '[.state, .origin, .union + ":" + .product, .due_at, .created] | @json')" \
	"[\"pending\",\"now\",\"$P\",\"2026-11-10T10:00:00+08:00\",true]"
ex "the same request again" 201 POST /api/v1/groups/1/send "{\"product\":\"$P\"}"
expect_eq "the same answer" "$(cmp -s "$WORK/body" "$WORK/first" && echo same)" "same"
ex "the key with another request" 422 POST /api/v1/groups/1/send '{}'
EXTRA=(-H "Idempotency-Key: send-2")
ex "another key, the same second" 200 POST /api/v1/groups/1/send '{}'
expect_eq "the same job" "$(body '[.id, .created] | @json')" "[$JOB,false]"
EXTRA=()
ex "an unknown field" 400 POST /api/v1/groups/1/send '{"products":"x"}'
ex "send without a body" 200 POST /api/v1/groups/1/send
expect_eq "still the same job" "$(body .id)" "$JOB"
ex "send to an unknown group" 404 POST /api/v1/groups/99/send '{}'
expect_eq "one job" "$(db_sql "SELECT count(*) FROM send_jobs WHERE grp = 1")" "1"

ex "the queue" 200 GET /api/v1/groups/1/jobs
conforms "a queue page" SendJobPage
expect_eq "the job" "$(body '[.jobs[] | [.id, .state, .attempts, .code]] | @json')" "[[$JOB,\"pending\",0,\"\"]]"
ex "the queue, sent only" 200 GET "/api/v1/groups/1/jobs?state=sent"
expect_eq "none sent" "$(body '.jobs | length')" "0"

# --- re-queue: only an unknown or failed send
ex "a pending job is not re-queued" 409 POST "/api/v1/jobs/$JOB/requeue"
expect_eq "it says why" "$(body '.error.message | test("pending")')" "true"
db_sql "UPDATE send_jobs SET state = 'failed', attempts = 5, code = '93000', message = 'invalid webhook key' WHERE id = $JOB" >/dev/null
ex "the failed job in the queue" 200 GET /api/v1/groups/1/jobs
expect_eq "its state, attempts, the platform's answer" "$(body '.jobs[0] | [.state, .attempts, .code, .message] | @json')" \
	'["failed",5,"93000","invalid webhook key"]'
ex "a failed job re-queued" 200 POST "/api/v1/jobs/$JOB/requeue"
conforms "a job" SendJob
expect_eq "pending again, due now" "$(body '[.state, .attempts, .code, .next_at] | @json')" '["pending",0,"","2026-11-10T10:00:00+08:00"]'
db_sql "UPDATE send_jobs SET state = 'unknown' WHERE id = $JOB" >/dev/null
ex "an unknown job re-queued" 200 POST "/api/v1/jobs/$JOB/requeue"
expect_eq "pending" "$(body .state)" "pending"
db_sql "UPDATE send_jobs SET state = 'sent' WHERE id = $JOB" >/dev/null
ex "a sent job is not re-queued" 409 POST "/api/v1/jobs/$JOB/requeue"
ex "an unknown job" 404 POST /api/v1/jobs/9999/requeue
ex "no job id" 404 POST /api/v1/jobs/x/requeue

# --- operators only; members their own
ex "a member's offers are not the operator's" 403 GET /api/v1/me/groups/2/offers
ex "alice's password" 200 PUT /api/v1/members/alice/password '{"password":"alice secret"}'
TOKEN=""
ex "no credential" 401 GET /api/v1/groups/1/jobs
ex "alice logs in" 200 POST /api/v1/auth/login '{"member":"alice","password":"alice secret"}'
TOKEN=$(body .token)
ex "the queue is the operators'" 403 GET /api/v1/groups/1/jobs
ex "the preview is the operators'" 403 GET /api/v1/groups/1/preview
ex "re-queue is the operators'" 403 POST "/api/v1/jobs/$JOB/requeue"
ex "her manual group's offers" 200 GET /api/v1/me/groups/2/offers
conforms "offers" OfferList
expect_eq "the ready one" "$(body '[.offers[] | .id] | @json')" "[$MJOB]"
expect_eq "its text carries its link" "$(body '.offers[0] | .link as $l | ($l | test("/s/[A-Za-z0-9]+$")) and (.text | contains($l))')" "true"
expect_eq "the stored link" "$(body '.offers[0].code')" "$(db_sql "SELECT link FROM send_jobs WHERE id = $MJOB")"
ex "her robot group has none" 200 GET /api/v1/me/groups/1/offers
expect_eq "no offers" "$(body '.offers | length')" "0"
ex "bob's group is absent" 404 GET /api/v1/me/groups/3/offers
ex "she sends to her group" 200 POST /api/v1/me/groups/2/send '{}'
expect_eq "the second's job (the pusher's)" "$(body '[.id, .created] | @json')" "[$MJOB,false]"
ex "not to bob's" 404 POST /api/v1/me/groups/3/send '{}'

# --- no credential anywhere
expect_eq "answers hold no key" "$(grep -c "$WECOM_KEY" "$WORK/all" || true)" "0"
expect_eq "nor the server's log" "$(grep -c "$WECOM_KEY" "$WORK/serve.err" "$WORK/serve.out" | awk -F: '{s+=$2} END {print s}')" "0"
stop_server
finish
