#!/usr/bin/env python3
"""Turns the feeds benchmark's JD reply bodies into a promotion head's: every
other row becomes a head row (unionRole 2) of campaign cpActId 5001 sold by
one of 50 partner channels (rid 880..929), on the campaign's product 900001;
the rest stay the members' own rows.  The rows keep their ids, times, money
and statuses, so both imports apply the same number of rows.

    head_rows.py IN.jsonl OUT.jsonl
"""
import json
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    i = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            body = json.loads(line)
            env = body["jd_union_open_order_row_query_responce"]
            inner = json.loads(env["queryResult"])
            for row in inner["data"]:
                if i % 2 == 0:
                    row.update(cpActId=5001, unionRole=2, rid=880 + (i // 2) % 50,
                               skuId=900001, subUnionId="")
                i += 1
            env["queryResult"] = json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
            out.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
