# server_lib.sh — what the HTTP scenario tests share: starting `tuike serve`
# on a free loopback port, calling it, and checking answers against the
# OpenAPI document.  Sourced after tests/scenario/lib.sh (WORK, tk,
# expect_eq, fail).  Not a test itself.

SERVER_PID=""
SERVER_PIDS=()
trap 'for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

# start_server [ARGS...]: starts `tuike serve` on 127.0.0.1 (a port the
# kernel picks) and waits until it answers; sets URL and SERVER_PID.
start_server() {
	: >"$WORK/serve.out"
	"$TUIKE" serve --listen 127.0.0.1:0 "$@" >"$WORK/serve.out" 2>>"$WORK/serve.err" &
	SERVER_PID=$!
	SERVER_PIDS+=("$SERVER_PID")
	URL=""
	for _ in $(seq 200); do
		URL=$(sed -n 's/^tuike serve: listening on \(http:[^ ]*\) .*/\1/p' "$WORK/serve.out")
		[ -n "$URL" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ -z "$URL" ] || ! curl -sf -o /dev/null "$URL/health"; then
		echo "FAIL: the server did not start" >&2
		cat "$WORK/serve.err" >&2
		exit 1
	fi
}

# stop_server: SIGTERM, then waits; its exit status is in STOP_STATUS.
stop_server() {
	STOP_STATUS=0
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID" || STOP_STATUS=$?
}

# call METHOD PATH [BODY]: sends a request with $TOKEN (when set) and the
# headers in the array EXTRA; the status goes to STATUS, the body to
# $WORK/body, the headers to $WORK/headers.
EXTRA=()
call() {
	local method=$1 path=$2 auth=()
	[ -n "${TOKEN:-}" ] && auth=(-H "Authorization: Bearer $TOKEN")
	if [ $# -ge 3 ]; then
		STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" \
			"${auth[@]}" "${EXTRA[@]}" -H 'Content-Type: application/json' \
			--data-binary "$3" "$URL$path")
	else
		STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" \
			"${auth[@]}" "${EXTRA[@]}" "$URL$path")
	fi
}

# body JQ: a value of the last answer.
body() { jq -r "$1" "$WORK/body"; }

# expect_call WHAT STATUS METHOD PATH [BODY]
expect_call() {
	local what=$1 want=$2
	shift 2
	call "$@"
	if [ "$STATUS" != "$want" ]; then
		fail "$what: status $STATUS, want $want: $(head -c 400 "$WORK/body")"
	else
		echo "ok: $what"
	fi
}

# expect_error WHAT STATUS CODE METHOD PATH [BODY]: an error answer with
# the error shape the API documents.
expect_error() {
	local what=$1 want=$2 code=$3
	shift 3
	expect_call "$what" "$want" "$@"
	expect_eq "$what: error code" "$(body '.error.code')" "$code"
	expect_eq "$what: error has a message" "$(body '(.error.message | length) > 0')" "true"
}

# conforms WHAT SCHEMA: checks the last answer against a schema of the
# OpenAPI document ($WORK/openapi.json): required members present, no
# member the schema does not list (when it forbids others), and the JSON
# type of each listed member (nullable allowed), one level deep.
conforms() {
	local what=$1 schema=$2 problems
	problems=$(jq -r --arg s "$schema" --slurpfile doc "$WORK/openapi.json" '
		def resolve: if type == "object" and has("$ref")
			then ($doc[0].components.schemas[(.["$ref"] | split("/") | last)])
			else . end;
		def jtype: if type == "number" then (if . == floor then "integer" else "number" end)
			else type end;
		def ok($t; $nullable): (jtype) as $j | ($j == $t) or ($t == "number" and $j == "integer")
			or ($nullable and $j == "null");
		($doc[0].components.schemas[$s]) as $sc
		| . as $v
		| [($sc.required // [])[] | . as $k | select(($v | has($k)) | not) | "missing \($k)"]
		+ (if $sc.additionalProperties == false
		   then [keys[] | . as $k | select(($sc.properties | has($k)) | not)
			 | "unexpected \($k)"] else [] end)
		+ [($sc.properties // {}) | to_entries[] | .key as $k | select($v | has($k))
		   | (.value | resolve) as $p
		   | select($p.type != null and (($v[.key] | ok($p.type; $p.nullable == true)) | not))
		   | "\(.key) is \($v[.key] | jtype), want \($p.type)"]
		| .[]' "$WORK/body")
	if [ -n "$problems" ]; then
		fail "$what: does not match schema $schema: $(echo $problems)"
	else
		echo "ok: $what matches $schema"
	fi
}
