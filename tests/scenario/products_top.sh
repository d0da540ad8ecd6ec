#!/usr/bin/env bash
# products_top.sh — the worth-pushing ranking with its reasons, tuned
# weights, and the demo catalogue with 90 days of history.
source "$(dirname "$0")/lib.sh"
tk init >/dev/null
export TUIKE_NOW=2026-11-10T10:00:00+08:00
expect_grep_s() { if [[ "$2" == *"$3"* ]]; then echo "ok: $1"; else fail "$1: '$3' not in '$2'"; fi; }

expect_eq "generate" "$(tk products generate --count 2000 --days 90 --seed 3 | cut -d' ' -f1-3)" "generated 2000 products"
expect_eq "again adds nothing" "$(tk products generate --count 2000 --days 90 --seed 3 | cut -d' ' -f1-3)" "generated 0 products"
top=$(tk products top --limit 20 --json)
expect_eq "twenty" "$(jq '.items|length' <<<"$top")" "20"
expect_eq "best first" "$(jq '[.items[].score.total] as $s | $s == ($s|sort|reverse)' <<<"$top")" "true"
expect_eq "contributions add up" "$(jq '[.items[].score | (.total == ([.terms[].contribution]|add))] | all' <<<"$top")" "true"
expect_grep_s "commission reason" "$(jq -r '.items[0].score.reasons[].text' <<<"$top")" "per unit"
expect_eq "a lowest-price reason somewhere" "$(jq '[.items[].score.reasons[].code] | any(. == "lowest_window" or . == "lowest_tracked")' <<<"$top")" "true"
expect_eq "90 days tracked" "$(jq '[.items[].history.tracked_days] | max' <<<"$top")" "90"
expect_eq "category" "$(tk products top --category 母婴 --limit 5 --json | jq -r '[.items[].product.category]|unique|join(",")')" "母婴"

# tuned weights: only sales counts, so the best seller comes first
echo '{"earn":0,"price_position":0,"price_rarity":0,"coupon":0,"conversion":0,"refund":0,"sales":100}' >"$WORK/w.json"
tuned=$(tk products top --weights "$WORK/w.json" --limit 20 --json)
expect_eq "weights change the order" "$(jq '[.items[].score.terms.sales.value] as $v | $v == ($v|sort|reverse)' <<<"$tuned")" "true"
expect_eq "only sales counts" "$(jq '[.items[].score | .total == .terms.sales.value * 10] | all' <<<"$tuned")" "true"
expect_eq "weights echoed" "$(jq -c '.weights|[.earn,.sales]' <<<"$tuned")" "[0,100]"
echo '{"earn":101}' >"$WORK/bad.json"
expect_status "bad weights" 2 tk products top --weights "$WORK/bad.json"
expect_grep "weights error named" "bad.json: earn: must be 0..100, got 101" "$WORK/err"
expect_status "limit" 2 tk products top --limit 1001
finish
