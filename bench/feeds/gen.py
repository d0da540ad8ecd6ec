#!/usr/bin/env python3
"""Writes the input of the feeds benchmark: N JD order rows as JSON Lines of
jd.union.open.order.row.query reply bodies (500 rows a body, JD's page size,
every documented field, rows inside the `queryResult` JSON string), and the
same N items as the money core's normalized JSON Lines.

    gen.py --rows N --members M --out DIR

Row i: member i % M (JD subUnionId "u<m>", normalized member "m<m>"); every
fourth row settled (payMonth set), the rest paid or received.  Writes
DIR/jd.jsonl, DIR/items.jsonl and DIR/members.jsonl, and prints nothing.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "feeds"))
import make_fixtures as fx  # noqa: E402  (the fixtures' JD row, all fields)

PAGE = 500


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--members", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "members.jsonl"), "w") as f:
        for m in range(a.members):
            f.write('{"id":"m%d","level":"super"}\n' % m)
    compact = (",", ":")
    with open(os.path.join(a.out, "jd.jsonl"), "w", encoding="utf-8") as jd, \
            open(os.path.join(a.out, "items.jsonl"), "w", encoding="utf-8") as norm:
        page = []
        for i in range(a.rows):
            m = i % a.members
            fen = 100 + (i * 7919) % 50000          # commission, fen
            base = fen * 10
            minute = i % (60 * 24 * 28)
            modified = "2026-10-%02d %02d:%02d:%02d" % (
                1 + minute // 1440, minute // 60 % 24, minute % 60, i % 60)
            settled = i % 4 == 3
            code = 17 if settled or i % 4 == 2 else 16
            yuan = "%d.%02d" % (fen // 100, fen % 100)
            row = fx.jd_row("R%d" % i, code, modified, orderId=3000000000 + i,
                            subUnionId="u%d" % m, skuId=100000 + i % 9973,
                            estimateFee=float(yuan), estimateCosPrice=float(base) / 100)
            if settled:
                row.update(payMonth=20261120, actualFee=float(yuan),
                           actualCosPrice=float(base) / 100)
            page.append(row)
            iso = modified.replace(" ", "T") + "+08:00"
            item = {"union": "jd", "item": "R%d" % i, "order": str(3000000000 + i),
                    "status": "settled" if settled else ("received" if code == 17 else "paid"),
                    "modified_at": iso, "paid_at": "2026-10-01T09:30:00+08:00",
                    "amount": base, "commission": fen, "quantity": 1,
                    "product": str(100000 + i % 9973), "title": row["skuName"],
                    "member": "m%d" % m}
            if settled:
                item["settled_at"] = "2026-11-20T00:00:00+08:00"
            norm.write(json.dumps(item, ensure_ascii=False, separators=compact) + "\n")
            if len(page) == PAGE or i == a.rows - 1:
                inner = json.dumps({"code": 200, "message": "success",
                                    "hasMore": i < a.rows - 1, "data": page},
                                   ensure_ascii=False, separators=compact)
                jd.write(json.dumps({"jd_union_open_order_row_query_responce": {
                    "code": "0", "queryResult": inner}}, ensure_ascii=False,
                    separators=compact) + "\n")
                page = []


if __name__ == "__main__":
    main()
