#!/usr/bin/env bash
# withdraw_decisions.sh — a withdrawal's way through the queue against a
# real `tuike serve`: a rejection needs a reason (refused without one, a
# blank, a control character, 201 characters), which its member then reads
# in its own withdrawals and the action log keeps; the queue's date filter
# (Beijing days of the request) and paging; the member's name in the
# document; the bank and branch of a bank withdrawal in the bank's payout
# template, and refused with another method.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-20T10:00:00+08:00
standard_plan

tk member add s --level super --name "王小明" >/dev/null
tk member add t --level super --name "Tess" >/dev/null
row jd J1-1 settled 2026-11-02T10:00:00+08:00 100000 2026-11-02T10:00:00+08:00 b1 s >"$WORK/o.jsonl"
row jd J2-1 settled 2026-11-02T10:00:00+08:00 100000 2026-11-02T10:00:00+08:00 b2 t >>"$WORK/o.jsonl"
tk orders import "$WORK/o.jsonl" >/dev/null
tk settle >/dev/null

# requested on three Beijing days: 11-18 23:59:59, 11-19 00:00:00, 11-20
W1=$(TUIKE_NOW=2026-11-18T23:59:59+08:00 tk withdraw request s 1000 --method alipay --account a@x)
W2=$(TUIKE_NOW=2026-11-19T00:00:00+08:00 tk withdraw request t 2000 --method alipay --account t@x)
W3=$(TUIKE_NOW=2026-11-19T12:00:00+08:00 tk withdraw request s 3000 --method alipay --account a@x)
W4=$(tk withdraw request t 4000 --method alipay --account t@x)

OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN="$OPS"
expect_call "password for s" 200 PUT /api/v1/members/s/password '{"password":"correct horse"}'

# ---- the date filter and paging
expect_call "the 19th alone" 200 GET "/api/v1/withdrawals?from=2026-11-19&to=2026-11-19"
conforms "a filtered page" WithdrawalPage
expect_eq "its withdrawals, newest first" "$(body '[.withdrawals[].id]|@csv')" "$W3,$W2"
expect_call "from the 19th" 200 GET "/api/v1/withdrawals?from=2026-11-19"
expect_eq "from the 19th: three" "$(body '[.withdrawals[].id]|@csv')" "$W4,$W3,$W2"
expect_call "up to the 18th" 200 GET "/api/v1/withdrawals?to=2026-11-18"
expect_eq "up to the 18th: the one a second before midnight" "$(body '[.withdrawals[].id]|@csv')" "$W1"
expect_call "page 1 of the 18th to the 20th" 200 GET "/api/v1/withdrawals?from=2026-11-18&to=2026-11-20&limit=2"
expect_eq "page 1" "$(body '[.withdrawals[].id]|@csv')" "$W4,$W3"
NEXT=$(body .next)
expect_call "page 2" 200 GET "/api/v1/withdrawals?from=2026-11-18&to=2026-11-20&limit=2&before=$NEXT"
expect_eq "page 2: the rest" "$(body '[.withdrawals[].id]|@csv')" "$W2,$W1"
expect_call "the filters together" 200 GET "/api/v1/withdrawals?from=2026-11-19&status=requested&member=s"
expect_eq "s's of the 19th on" "$(body '[.withdrawals[].id]|@csv')" "$W3"
expect_eq "the member's name" "$(body '.withdrawals[0].member_name')" "王小明"
expect_error "to before from" 400 invalid GET "/api/v1/withdrawals?from=2026-11-19&to=2026-11-18"
expect_eq "to named" "$(body .error.field)" "to"
expect_error "not a date" 400 invalid GET "/api/v1/withdrawals?from=2026-13-01"
expect_eq "from named" "$(body .error.field)" "from"

# ---- a rejection needs a reason
expect_error "reject without a body" 400 invalid POST "/api/v1/withdrawals/$W3/reject"
expect_eq "reason named" "$(body .error.field)" "reason"
expect_error "reject with an empty reason" 400 invalid POST "/api/v1/withdrawals/$W3/reject" '{"reason":""}'
expect_eq "reason named (empty)" "$(body .error.field)" "reason"
expect_error "reject with spaces" 400 invalid POST "/api/v1/withdrawals/$W3/reject" '{"reason":"   "}'
expect_error "reject with a line break" 400 invalid POST "/api/v1/withdrawals/$W3/reject" '{"reason":"a\nb"}'
expect_eq "control named" "$(body .error.field)" "reason"
expect_error "reject with a line separator" 400 invalid POST "/api/v1/withdrawals/$W3/reject" '{"reason":"a\u2028b"}'
expect_eq "what and where" "$(body .error.message)" "must not hold control characters or line breaks (U+2028 at byte 1)"
expect_error "reject with ideographic spaces only" 400 invalid POST "/api/v1/withdrawals/$W3/reject" '{"reason":"\u3000\u3000"}'

LONG=$(printf '字%.0s' $(seq 201))
expect_call "201 characters refused" 400 POST "/api/v1/withdrawals/$W3/reject" "{\"reason\":\"$LONG\"}"
expect_eq "too long named" "$(body .error.field)" "reason"
expect_error "an unknown member of the body" 400 invalid POST "/api/v1/withdrawals/$W3/reject" '{"reason":"x","why":"y"}'
expect_error "a reason on approval" 400 invalid POST "/api/v1/withdrawals/$W3/approve" '{"reason":"x"}'
expect_call "still requested" 200 GET "/api/v1/withdrawals/$W3"
expect_eq "unchanged" "$(body '[.status, .reason]|@csv')" '"requested",'
expect_eq "s's money still withdrawing" "$(tk balance s --json | jq -c '[.available,.withdrawing]')" "[46000,4000]"
REASON="支付宝账号与实名不符，请核对后重新申请"
MAX=$(printf 'é%.0s' $(seq 200))
expect_call "200 characters are enough" 200 POST "/api/v1/withdrawals/$W1/reject" "{\"reason\":\"$MAX\"}"
expect_call "reject with a reason" 200 POST "/api/v1/withdrawals/$W3/reject" "{\"reason\":\"$REASON\"}"
conforms "a rejected withdrawal" Withdrawal
expect_eq "the reason in the document" "$(body '[.status, .reason]|@csv')" "\"rejected\",\"$REASON\""
expect_eq "the money returned" "$(tk balance s --json | jq -c '[.available,.withdrawing]')" "[50000,0]"
expect_call "another's document has none" 200 GET "/api/v1/withdrawals/$W2"
expect_eq "null unless rejected" "$(body .reason)" "null"
expect_status "the command line needs a reason too" 2 tk withdraw reject "$W2"
expect_grep "the command line says which" "reason" "$WORK/err"

# the member reads it in its own list
TOKEN=""
expect_call "s logs in" 200 POST /api/v1/auth/login '{"member":"s","password":"correct horse"}'
TOKEN=$(body .token)
expect_call "the terms a member is held to" 200 GET /api/v1/withdrawal-terms
conforms "the terms" WithdrawalTerms
expect_eq "the plan's minimum and fee" "$(body '[.min, .fee_bps, .plan_version]|@csv')" "100,100,1"
expect_call "s's withdrawals" 200 GET /api/v1/withdrawals
expect_eq "s sees its two, with the reason" "$(body "[.withdrawals[] | select(.id == $W3) | .reason]|@csv")" "\"$REASON\""
expect_eq "and the long one whole" "$(body "[.withdrawals[] | select(.id == $W1) | .reason | length]|@csv")" "200"
expect_eq "none of t's" "$(body '[.withdrawals[].member] | unique | @csv')" '"s"'

# the action log keeps it
TOKEN="$OPS"
expect_call "the action log" 200 GET "/api/v1/actions?what=withdrawal.reject&subject=withdrawal:$W3"
expect_eq "the reason in the entry" "$(body '.actions[0].after.reason')" "$REASON"

# ---- bank and branch: with the bank method only, into the bank template
TOKEN=""
expect_call "s logs in again" 200 POST /api/v1/auth/login '{"member":"s","password":"correct horse"}'
TOKEN=$(body .token)
expect_error "a bank with alipay" 400 invalid POST /api/v1/withdrawals \
	'{"amount":1000,"method":"alipay","account":"a@x","bank":"招商银行"}'
expect_eq "bank named" "$(body .error.field)" "bank"
expect_error "a branch with a tab" 400 invalid POST /api/v1/withdrawals \
	'{"amount":1000,"method":"bank","account":"6222000011112222","bank":"招商银行","branch":"a\tb"}'
expect_eq "branch named" "$(body .error.field)" "branch"
LONGB=$(printf 'b%.0s' $(seq 128))
expect_error "a bank name of 128 bytes" 400 limit_exceeded POST /api/v1/withdrawals \
	"{\"amount\":1000,\"method\":\"bank\",\"account\":\"6222\",\"bank\":\"$LONGB\"}"
expect_call "a bank withdrawal" 201 POST /api/v1/withdrawals \
	'{"amount":5000,"method":"bank","account":"6222 0000 1111 2222","payee":"王小明","bank":"招商银行","branch":"深圳科技园支行"}'
conforms "a bank withdrawal" Withdrawal
W5=$(body .id)
expect_eq "bank and branch in the document" "$(body '[.bank, .branch, .fee, .net]|@csv')" '"招商银行","深圳科技园支行",50,4950'
TOKEN="$OPS"
expect_call "approved" 200 POST "/api/v1/withdrawals/$W5/approve"
call GET "/api/v1/payout.csv?format=bank"
expect_eq "the bank file" "$STATUS" "200"
expect_eq "its row: payee, card, the bank and branch, the net" \
	"$(iconv -f GBK -t UTF-8 "$WORK/body" | sed -n 2p | tr -d '\r')" \
	"王小明,6222 0000 1111 2222,招商银行 深圳科技园支行,,49.50,提现单 $W5"
tk withdraw export --format bank >"$WORK/cli-bank.csv" 2>/dev/null
expect_eq "the command line's file the same" "$(cmp -s "$WORK/body" "$WORK/cli-bank.csv" && echo same)" "same"
W6=$(tk withdraw request t 1000 --method bank --account 6222 --bank "工商银行")
expect_eq "the command line takes a bank" "$(tk withdraw approve "$W6" >/dev/null && tk withdraw export --format bank 2>/dev/null | iconv -f GBK -t UTF-8 | sed -n 3p | tr -d '\r')" \
	"Tess,6222,工商银行,,9.90,提现单 $W6"

stop_server
finish
