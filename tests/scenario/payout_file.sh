#!/usr/bin/env bash
# payout_file.sh — the payout file, the database's file modes and errors
# with control characters, through the real binary and `tuike serve`:
# members whose accounts and names are formulas, withdrawals approved,
# rejected, paid and still requested; `tuike withdraw export` and GET
# /api/v1/payout.csv read back by Python's csv module hold exactly the
# approved ones, every hostile text as text starting with ', the amounts
# exact, the headers the templates'; the files tuike makes are 0600 under
# umask 022; an ESC in a feed's field shows as \x1b in the error.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-20T10:00:00+08:00
umask 022

# ---- the database file: owner-only from the first command
standard_plan
if ! db_is_pg; then
	expect_eq "a new database is 0600 under umask 022" "$(stat -c %a "$TUIKE_DB")" "600"
fi

HOSTILE_NAME='=HYPERLINK("http://evil","click")'
tk member add a1 --level super --name "$HOSTILE_NAME" >/dev/null
tk member add a2 --level super --name "王小明" >/dev/null
tk member add a3 --level super --name "+1+1" >/dev/null
tk member add a4 --level super --name "李四" >/dev/null
tk member add a5 --level super --name "赵六" >/dev/null
n=0
for m in a1 a2 a3 a4 a5; do
	n=$((n + 1))
	row jd "P$n-1" settled 2026-11-02T10:00:00+08:00 10000 2026-11-02T10:00:00+08:00 "b$n" "$m"
done >"$WORK/orders.jsonl"
tk orders import "$WORK/orders.jsonl" >/dev/null
expect_eq "released" "$(tk settle)" '{"released_items":5,"released":25000}'

# approved (alipay, hostile accounts and payees)
W1=$(tk withdraw request a1 1230 --method alipay --account '=HYPERLINK("http://evil")')
W2=$(tk withdraw request a2 1000 --method alipay --account '+1+1' --payee '-2')
W3=$(tk withdraw request a3 999 --method alipay --account '@SUM(A1)')
W4=$(tk withdraw request a4 2000 --method alipay --account $'\t=1' --payee '＝1+1')
# approved, by bank and by WeChat
W5=$(tk withdraw request a5 4321 --method bank --account '6222 0000 1111' --payee '赵六')
W6=$(tk withdraw request a2 500 --method wechat --account 'wx-a2')
for w in "$W1" "$W2" "$W3" "$W4" "$W5" "$W6"; do tk withdraw approve "$w" >/dev/null; done
# rejected, paid, still requested: never in the file
W7=$(tk withdraw request a1 300 --method alipay --account 'rejected@x')
tk withdraw reject "$W7" --reason "account closed" >/dev/null
W8=$(tk withdraw request a3 300 --method alipay --account 'paid@x')
tk withdraw approve "$W8" >/dev/null
tk withdraw paid "$W8" >/dev/null
W9=$(tk withdraw request a4 300 --method alipay --account 'pending@x')

expect_status "a payee with a line break is refused" 2 tk withdraw request a5 100 --payee $'x\ny'
expect_grep "the payee named" "payee: must not hold control characters" "$WORK/err"

# ---- the command line's file
expect_status "export plain" 0 tk withdraw export --out "$WORK/plain.csv"
expect_grep "what it wrote" "6 withdrawals, 99.51 yuan to pay \(plain\)" "$WORK/err"
expect_eq "the payout file is 0600 under umask 022" "$(stat -c %a "$WORK/plain.csv")" "600"
chmod 644 "$WORK/plain.csv"
tk withdraw export --out "$WORK/plain.csv" 2>/dev/null
expect_eq "a file replaced is made 0600" "$(stat -c %a "$WORK/plain.csv")" "600"
tk withdraw export --format alipay --out "$WORK/alipay.csv" 2>/dev/null
tk withdraw export --format bank >"$WORK/bank.csv" 2>/dev/null
expect_status "an unknown format" 2 tk withdraw export --format xls

# read back by a real CSV parser; W1.. are the ids of the approved ones
check_files() { # PLAIN ALIPAY BANK
	python3 - "$1" "$2" "$3" "$W1" "$W2" "$W3" "$W4" "$W5" "$W6" "$HOSTILE_NAME" <<'PY'
import csv, io, sys
plain, alipay, bank = (open(p, "rb").read() for p in sys.argv[1:4])
w = [int(x) for x in sys.argv[4:10]]
hostile_name = sys.argv[10]
bad = []
def check(what, got, want):
    if got != want:
        bad.append(f"{what}: got {got!r}, want {want!r}")

check("plain starts with a UTF-8 BOM", plain[:3], b"\xef\xbb\xbf")
rows = list(csv.reader(io.StringIO(plain.decode("utf-8-sig"), newline="")))
check("plain header", rows[0], ["withdrawal_id", "member", "payee_name", "method", "account",
      "amount_yuan", "fee_yuan", "net_yuan", "status", "requested_at", "approved_at"])
body = rows[1:]
check("only the approved ones, oldest first", [int(r[0]) for r in body], w)
by = {int(r[0]): r for r in body}
check("a formula account is text", by[w[0]][4], "'=HYPERLINK(\"http://evil\")")
check("a formula name (the member's) is text", by[w[0]][2], "'" + hostile_name)
check("+ account", by[w[1]][4], "'+1+1")
check("- payee", by[w[1]][2], "'-2")
check("+ member name", by[w[2]][2], "'+1+1")
check("@ account", by[w[2]][4], "'@SUM(A1)")
check("tab account", by[w[3]][4], "'\t=1")
check("full-width = payee", by[w[3]][2], "'＝1+1")
check("amounts exact", [by[w[0]][5], by[w[0]][6], by[w[0]][7]], ["12.30", "0.12", "12.18"])
check("9.99 less its fee", by[w[2]][5:8], ["9.99", "0.09", "9.90"])
check("status", {r[8] for r in body}, {"approved"})
check("requested at", by[w[0]][9], "2026-11-20T10:00:00+08:00")
check("approved at", by[w[0]][10], "2026-11-20T10:00:00+08:00")
for r in body:
    for cell in r:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            bad.append(f"a cell a spreadsheet would run: {cell!r}")

text = alipay.decode("gbk")
lines = text.split("\r\n")
check("alipay title line", lines[0], "支付宝批量付款文件模板")
check("alipay header line", lines[1],
      "序号（必填）,收款方支付宝账号（必填）,收款方姓名（必填）,金额（必填，单位：元）,备注（选填）")
arows = list(csv.reader(io.StringIO("\r\n".join(lines[2:]), newline="")))
check("alipay: the alipay ones", [r[0] for r in arows], ["1", "2", "3", "4"])
check("alipay row 1", arows[0], ["1", "'=HYPERLINK(\"http://evil\")", "'" + hostile_name, "12.18",
      f"提现单 {w[0]}"])
check("alipay row 2", arows[1][1:4], ["'+1+1", "'-2", "9.90"])
check("alipay tab account", arows[3][1], "'\t=1")

text = bank.decode("gbk")
brows = list(csv.reader(io.StringIO(text, newline="")))
check("bank header", brows[0], ["收款方名称", "收款方账号", "收款方开户行名称", "收款行联行号", "金额", "附言/用途"])
check("bank: the bank one", brows[1:], [["赵六", "6222 0000 1111", "", "", "42.78", f"提现单 {w[4]}"]])
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
}
if check_files "$WORK/plain.csv" "$WORK/alipay.csv" "$WORK/bank.csv"; then
	echo "ok: the command line's files read back"
else
	fail "the command line's files"
fi

# ---- the API's file
OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server --access-log "$WORK/access.log"
TOKEN="$OPS"
call GET "/api/v1/payout.csv?format=plain"
cp "$WORK/body" "$WORK/api-plain.csv"
expect_eq "plain over the API" "$STATUS" "200"
expect_grep "its content type" "^Content-Type: text/csv; charset=utf-8" "$WORK/headers"
expect_grep "its file name" "^Content-Disposition: attachment; filename=\"payout-plain-20261120.csv\"" "$WORK/headers"
call GET "/api/v1/payout.csv?format=alipay"
cp "$WORK/body" "$WORK/api-alipay.csv"
expect_grep "alipay's content type" "^Content-Type: text/csv; charset=GBK" "$WORK/headers"
call GET "/api/v1/payout.csv?format=bank"
cp "$WORK/body" "$WORK/api-bank.csv"
if check_files "$WORK/api-plain.csv" "$WORK/api-alipay.csv" "$WORK/api-bank.csv"; then
	echo "ok: the API's files read back"
else
	fail "the API's files"
fi
expect_eq "the API's file is the command line's" "$(cmp "$WORK/api-plain.csv" "$WORK/plain.csv" && echo same)" "same"
call GET "/api/v1/payout.csv"
expect_eq "plain by default" "$(cmp "$WORK/body" "$WORK/plain.csv" && echo same)" "same"
expect_error "an unknown format" 400 invalid GET "/api/v1/payout.csv?format=xls"
tk member add mm --level super >/dev/null
expect_call "a member's password" 200 PUT /api/v1/members/a2/password '{"password":"correct horse"}'
TOKEN=""
expect_call "a2 logs in" 200 POST /api/v1/auth/login '{"member":"a2","password":"correct horse"}'
TOKEN=$(body .token)
expect_error "a member may not read the payout file" 403 forbidden GET "/api/v1/payout.csv"
expect_call "a payee with the request" 201 POST /api/v1/withdrawals '{"amount":100,"account":"a2@x","payee":"王小明"}'
expect_eq "the payee in the document" "$(body .payee)" "王小明"
expect_error "a payee too long" 400 limit_exceeded POST /api/v1/withdrawals \
	"{\"amount\":100,\"payee\":\"$(printf 'x%.0s' $(seq 128))\"}"
expect_error "a payee with a control character" 400 invalid POST /api/v1/withdrawals '{"amount":100,"payee":"a\u001bb"}'
tk withdraw export >/dev/null 2>&1

# ---- the files beside the database, while the server has it open (and
# after commands beside it: the server's connections kept their locks, so
# none of those took itself for the last one and removed the WAL)
if ! db_is_pg; then
	for f in "$TUIKE_DB" "$TUIKE_DB-wal" "$TUIKE_DB-shm" "$TUIKE_DB".node-*.lock; do
		expect_eq "$(basename "$f") is 0600" "$(stat -c %a "$f" 2>&1)" "600"
	done
fi
# client addresses and member ids
expect_eq "the access log is 0600 under umask 022" "$(stat -c %a "$WORK/access.log")" "600"
stop_server

# ---- an existing database open to others is tightened, and said so
if ! db_is_pg; then
	chmod 644 "$TUIKE_DB"
	expect_status "a command on a 0644 database" 0 tk balance a1
	expect_eq "made 0600" "$(stat -c %a "$TUIKE_DB")" "600"
	expect_grep "and said so" "was open to other users \(mode 644\): made it owner-only \(600\)" "$WORK/err"
fi

# ---- a feed's control characters are escaped in its error
printf 'union,item,order,status,modified_at,paid_at,settled_at,amount,commission,quantity,product,title,buyer,member,link\njd,E1-1,E1,paid,2026-11-02T10:00:00+08:00,,,5000,4\033[31m00\033]0;owned\007,1,p9,t,,a1,\n' >"$WORK/esc.csv"
expect_status "a CSV line with an ESC sequence" 2 tk orders import "$WORK/esc.csv"
expect_grep "the ESC shown as \\\\x1b" 'esc.csv:2: commission: must be an integer number of fen, got "4\\x1b\[31m00\\x1b\]0;owned\\x07"' "$WORK/err"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$WORK/err"; then
	fail "a raw control character reached stderr: $(od -c "$WORK/err" | head -5)"
else
	echo "ok: no raw control character on stderr"
fi
finish
