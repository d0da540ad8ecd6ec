#!/usr/bin/env bash
# http_posters.sh — posters and QR codes as PNG: a link's QR code (size
# bounds, its owner and team only), the member's invitation QR code and
# poster, a product's poster with the member's tracking link in its QR
# code (the invitation when no link can be made), its product image from
# an allowed host only, within the limits and cached, a placeholder when
# the image cannot be had, ETag revalidation, signed image addresses
# (loaded without a credential; any change to one refused).  Each PNG is read whole
# (tests/poster/png_tool.py); each QR code is read back with zbarimg when
# it is installed (deps.sh --test).
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
PNG="python3 $TUIKE_SRC/tests/poster/png_tool.py"
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
tk member add boss --level partner >/dev/null
tk member add amy --parent boss --level super >/dev/null
tk member add bob --level super >/dev/null
db_sql "UPDATE members SET name='洋洋妈' WHERE ext='amy'"
tk tag set amy jd subUnionId amy-jd >/dev/null
tk tag set bob jd subUnionId bob-jd >/dev/null
OPS=$(tk apikey create posters --role admin 2>/dev/null)

# the image host: a solid 300x300 picture, one too large to fetch, one
# declaring too many pixels, one that is no image at all
mkdir -p "$WORK/img"
$PNG make "$WORK/img/blue.png" 300 300 0A78C8
$PNG make "$WORK/img/wide.png" 40 20 0A78C8
python3 - "$WORK/img" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
open(f"{d}/big.png", "wb").write(open(f"{d}/blue.png", "rb").read() + b"\0" * (6 << 20))
ihdr = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
open(f"{d}/huge.png", "wb").write(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
                                  + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)))
open(f"{d}/fake.png", "wb").write(b"<html>not an image</html>")
PY
python3 "$TUIKE_SRC/tests/poster/mock_images.py" "$WORK/img" "$WORK/hits" "$WORK/imgport" &
SERVER_PIDS+=("$!")
for _ in $(seq 100); do [ -s "$WORK/imgport" ] && break; sleep 0.05; done
IMG="http://127.0.0.1:$(cat "$WORK/imgport")"

product() { # UNION ID IMAGE [TITLE]
	printf '{"union":"%s","product":"%s","title":"%s","category":"美妆个护","price":5990,"coupon":1000,"coupon_min":0,"coupon_end":"2026-11-30T23:59:59+08:00","commission_bps":2000,"sales":100,"image":"%s","url":"https://item.jd.com/%s.html"}\n' \
		"$1" "$2" "${4:-海飞丝去屑洗发水 400ml 男士女士通用 清爽控油 长效留香 家庭装 超值三瓶组合 京东自营正品保障}" "$3" "$2"
}
{
	product jd 100000000001 "$IMG/blue.png"
	product jd 100000000002 "http://evil.example/blue.png"
	product jd 100000000003 "$IMG/big.png"
	product jd 100000000004 "$IMG/huge.png"
	product jd 100000000005 "$IMG/fake.png"
	product jd 100000000006 "$IMG/slow/blue.png"
	product jd 100000000007 "$IMG/wide.png" "Short title"
	product taobao 600000000003 "$IMG/blue.png"
} >"$WORK/catalog.jsonl"
tk products import "$WORK/catalog.jsonl" >/dev/null

start_server --access-log off --image-host "127.0.0.1:$(cat "$WORK/imgport")"
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
for m in amy bob; do
	curl -s -X PUT -H "Authorization: Bearer $OPS" -d "{\"password\":\"$m password 1\"}" \
		"$URL/api/v1/members/$m/password" >/dev/null
done
AMY=$(curl -s -d '{"member":"amy","password":"amy password 1"}' "$URL/api/v1/auth/login" | jq -r .token)
BOB=$(curl -s -d '{"member":"bob","password":"bob password 1"}' "$URL/api/v1/auth/login" | jq -r .token)
amy_code=$(curl -s -H "Authorization: Bearer $OPS" "$URL/api/v1/members/amy" | jq -r .invite_code)

# png WHAT WIDTH HEIGHT: the last answer is a PNG of that size that decodes
png() {
	expect_grep "$1: image/png" "Content-Type: image/png" "$WORK/headers"
	expect_eq "$1: PNG magic" "$(head -c 8 "$WORK/body" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a"
	expect_eq "$1: decodes, ${2}x$3" "$($PNG info "$WORK/body" 2>&1)" "$2 $3"
}
# qr WHAT TEXT: the last answer's QR code reads as TEXT
ZBAR=$(command -v zbarimg || true)
qr() {
	if [ -z "$ZBAR" ]; then
		echo "skip: $1 (no zbarimg)"
		return
	fi
	expect_eq "$1" "$(zbarimg -q --raw "$WORK/body" 2>/dev/null)" "$2"
}
hits() { grep -c "$1" "$WORK/hits" || true; }

# ---- a link's QR code
TOKEN=$OPS
expect_call "amy's link" 200 GET "/api/v1/products/jd/100000000001/copy?member=amy&link=1"
short=$(body .link.short_url)
code=${short##*/}
TOKEN=$AMY
expect_call "its QR code" 200 GET "/api/v1/links/$code/qr.png"
png "link QR" 512 512
qr "the QR code reads as the short link" "$short"
expect_grep "private caching" "Cache-Control: private, max-age=300" "$WORK/headers"
expect_call "a size asked for" 200 GET "/api/v1/links/$code/qr.png?size=128"
png "128 px QR" 128 128
qr "small, still readable" "$short"
expect_error "too small" 400 invalid GET "/api/v1/links/$code/qr.png?size=127"
expect_eq "names the field" "$(body .error.field)" "size"
expect_error "too large" 400 invalid GET "/api/v1/links/$code/qr.png?size=1025"
expect_error "no such link" 404 not_found GET "/api/v1/links/nope123/qr.png"
TOKEN=$BOB
expect_error "another member's link" 403 forbidden GET "/api/v1/links/$code/qr.png"
TOKEN=""
expect_error "no credential" 401 unauthorized GET "/api/v1/links/$code/qr.png"

# ---- the invitation
TOKEN=$AMY
expect_call "invitation QR" 200 GET "/api/v1/me/invite/qr.png?size=300"
png "invitation QR" 300 300
qr "reads as the join page with amy's code" "$URL/m/#/join/$amy_code"
expect_call "invitation poster" 200 GET "/api/v1/me/invite/poster.png"
png "invitation poster" 750 1334
qr "the poster's QR code is the invitation" "$URL/m/#/join/$amy_code"
expect_eq "the poster's red ground" "$($PNG pixel "$WORK/body" 10 10)" "E4393C"
expect_call "in English" 200 GET "/api/v1/me/invite/poster.png?lang=en"
png "English invitation poster" 750 1334
expect_error "a language not drawn" 400 invalid GET "/api/v1/me/invite/poster.png?lang=fr"
TOKEN=$OPS
expect_error "an operator has no invitation" 403 forbidden GET "/api/v1/me/invite/qr.png"

# ---- a product's poster
TOKEN=$AMY
expect_call "product poster" 200 GET "/api/v1/products/jd/100000000001/poster.png"
png "product poster" 750 1334
qr "its QR code is amy's link, the copy text's" "$short"
expect_eq "the product image drawn" "$($PNG pixel "$WORK/body" 100 100)" "0A78C8"
expect_eq "one link stored, reused" "$(db_sql "SELECT count(*) FROM links")" "1"
expect_eq "the image fetched once" "$(hits /blue.png)" "1"
etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$WORK/headers")
EXTRA=(-H "If-None-Match: $etag")
expect_call "unchanged poster" 304 GET "/api/v1/products/jd/100000000001/poster.png"
EXTRA=()
expect_eq "the image from the cache" "$(hits /blue.png)" "1"
expect_call "a product without amy's link" 200 GET "/api/v1/products/taobao/600000000003/poster.png"
png "poster with the invitation" 750 1334
qr "no taobao tag: the QR code invites instead" "$URL/m/#/join/$amy_code"
expect_eq "its image drawn from the cache" "$(hits /blue.png)" "1"
expect_grep "why the invitation, in the log" "poster of taobao:600000000003 for amy shows the invitation" "$WORK/serve.err"
expect_call "a short title, an image wider than tall" 200 GET "/api/v1/products/jd/100000000007/poster.png?lang=en"
png "English product poster" 750 1334
expect_eq "the image fits the width, white above" "$($PNG pixel "$WORK/body" 375 40)" "FFFFFF"
expect_eq "and is centred" "$($PNG pixel "$WORK/body" 375 375)" "0A78C8"

# the image only from an allowed host, within the limits: else a placeholder
for p in 100000000002 100000000003 100000000004 100000000005; do
	expect_call "poster of jd:$p" 200 GET "/api/v1/products/jd/$p/poster.png"
	png "poster of jd:$p" 750 1334
	expect_eq "jd:$p: the placeholder" "$($PNG pixel "$WORK/body" 100 100)" "F2F2F2"
done
expect_grep "a host not allowed" "jd:100000000002 without its image: image: not an allowed image host" "$WORK/serve.err"
expect_eq "and never asked" "$(grep -c evil "$WORK/hits" || true)" "0"
expect_grep "too many bytes" "jd:100000000003 without its image: .*larger than 5242880 bytes" "$WORK/serve.err"
expect_grep "too many pixels" "jd:100000000004 without its image: .*larger than 4096 pixels" "$WORK/serve.err"
expect_grep "not an image" "jd:100000000005 without its image: .*not a JPEG, PNG or WebP" "$WORK/serve.err"
started=$(date +%s)
expect_call "a slow image host" 200 GET "/api/v1/products/jd/100000000006/poster.png"
took=$(($(date +%s) - started))
expect_eq "given up after 5 s, not 8 (took ${took} s)" "$([ "$took" -ge 4 ] && [ "$took" -le 7 ] && echo yes)" "yes"
expect_eq "slow: the placeholder" "$($PNG pixel "$WORK/body" 100 100)" "F2F2F2"
n=$(hits /huge.png)
expect_call "a failure remembered" 200 GET "/api/v1/products/jd/100000000004/poster.png"
expect_eq "not asked again within the minute" "$(hits /huge.png)" "$n"

# ---- signed addresses: an <img> sends no credential
TOKEN=$AMY
expect_call "a signed address" 200 GET "/api/v1/me/image-url?path=/api/v1/products/jd/100000000001/poster.png&lang=en"
conforms "signed address" ImageUrl
signed=$(body .url)
expect_eq "relative, for this poster, in English" "$(grep -c '^/api/v1/products/jd/100000000001/poster.png?lang=en&m=amy&exp=[0-9]*&sig=[0-9a-f]\{64\}$' <<<"$signed")" "1"
expect_call "the same address within the hour" 200 GET "/api/v1/me/image-url?path=/api/v1/products/jd/100000000001/poster.png&lang=en"
expect_eq "so the browser caches it" "$(body .url)" "$signed"
TOKEN=""
expect_call "loaded without a credential" 200 GET "$signed"
png "poster by its signed address" 750 1334
qr "still amy's link" "$short"
expect_error "another language than signed" 401 unauthorized GET "${signed/lang=en/lang=zh}"
expect_eq "names the signature" "$(body .error.field)" "sig"
expect_error "another member than signed" 401 unauthorized GET "${signed/m=amy/m=bob}"
expect_error "another product than signed" 401 unauthorized GET "${signed/100000000001/100000000007}"
expect_error "a later expiry than signed" 401 unauthorized GET "$(sed 's/exp=\([0-9]*\)/exp=9\1/' <<<"$signed")"
expect_error "a signature on a route without images" 401 unauthorized GET "/api/v1/me?${signed#*\?}"
TOKEN=$AMY
expect_call "a QR code's address with its size" 200 GET "/api/v1/me/image-url?path=/api/v1/me/invite/qr.png&size=200"
TOKEN=""
expect_call "the invitation QR code by its address" 200 GET "$(body .url)"
png "signed invitation QR" 200 200
TOKEN=$BOB
expect_call "bob signs amy's link's QR code" 200 GET "/api/v1/me/image-url?path=/api/v1/links/$code/qr.png"
TOKEN=""
expect_error "and is refused it all the same" 403 forbidden GET "$(body .url)"
TOKEN=$AMY
expect_error "a path that is no image" 400 invalid GET "/api/v1/me/image-url?path=/api/v1/me"
expect_eq "names the path" "$(body .error.field)" "path"
expect_error "a path with escapes" 400 invalid GET "/api/v1/me/image-url?path=/api/v1/products/jd/1%2520/poster.png"
TOKEN=$OPS
expect_error "an operator signs nothing" 403 forbidden GET "/api/v1/me/image-url?path=/api/v1/me/invite/qr.png"

TOKEN=$AMY
expect_error "no such product" 404 not_found GET "/api/v1/products/jd/999/poster.png"
TOKEN=$OPS
expect_error "an operator has no poster" 403 forbidden GET "/api/v1/products/jd/100000000001/poster.png"
expect_eq "documented as PNG" "$(jq -r '.paths["/api/v1/products/{union}/{id}/poster.png"].get.responses["200"].content | keys[0]' "$WORK/openapi.json")" "image/png"

# a host not named cannot be added by a bad option
stop_server
expect_status "a malformed --image-host" 2 "$TUIKE" serve --listen 127.0.0.1:0 --image-host "a/b"
expect_grep "names the option" "image_host" "$WORK/err"
finish
