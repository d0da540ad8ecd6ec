#!/usr/bin/env python3
"""Writes a data set for mock_union.py: orders of all three unions spread
over a span of update times, in each union's own row format (the rows of
make_fixtures.py), with the credentials the mock checks.

    mock_data.py --out orders.json --start UNIX --hours H --per-union N
                 [--jd-key K --jd-secret S ...]

Statuses, amounts and tags vary with the order number, deterministically;
tags m-alice / m-bob are meant to be registered by the test, anything else
stays unattributed.
"""
import argparse
import datetime
import json

import make_fixtures as fx

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def beijing(t):
    return datetime.datetime.fromtimestamp(t, BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--start", type=int, required=True)
    ap.add_argument("--hours", type=int, required=True)
    ap.add_argument("--per-union", type=int, required=True)
    for u in ("jd", "taobao", "pdd"):
        ap.add_argument("--%s-key" % u, default=u + "-key")
        ap.add_argument("--%s-secret" % u, default=u + "-secret")
    a = ap.parse_args()
    span = a.hours * 3600
    tags = ["m-alice", "m-bob", "stranger", ""]
    data = {"jd": [], "taobao": [], "pdd": [], "taobao_refunds": [],
            "keys": {u: [getattr(a, u + "_key"), getattr(a, u + "_secret")]
                     for u in ("jd", "taobao", "pdd")}}
    for i in range(a.per_union):
        t = a.start + (i * 7919) % span  # spread, not sorted
        tag = tags[i % 4]
        fee = "%d.%02d" % (1 + i % 50, (i * 37) % 100)
        jd_code = [16, 17, 24, 15, 3][i % 5]
        row = fx.jd_row("J%05d" % i, jd_code, beijing(t), orderId=100000 + i // 2,
                        subUnionId=tag, estimateFee=float(fee),
                        estimateCosPrice=float(fee) * 10)
        if i % 7 == 0:  # settled; now and then 0.50 of it refunded later
            refund = i % 14 == 0
            row.update(validCode=17, payMonth=20261020,
                       actualFee=round(float(fee) - 0.5, 2) if refund else float(fee),
                       actualCosPrice=float(fee) * 10,
                       balanceExt="{20261020:%s%s}" % (fee, ",20261120:-0.5" if refund else ""))
        data["jd"].append(row)
        tb_code = [12, 14, 13, 11, 3][i % 5]
        data["taobao"].append(fx.tb_row(
            "TB%05d" % i, tb_code, beijing(t), pub_share_pre_fee=fee,
            pub_share_fee=fee, tk_earning_time=beijing(t) if tb_code == 3 else "",
            special_id=[7001, 0, 0, 7009][i % 4], relation_id=[0, 8002, 0, 0][i % 4]))
        if i % 10 == 0:  # a refund, before or after settlement
            suit = min(t + 3600, a.start + span - 1)
            data["taobao_refunds"].append(fx.tb_refund_row(
                "TB%05d" % i, [2, 13, 3][i // 10 % 3], beijing(suit), fee="0.50",
                suit=beijing(suit)))
        pdd_code = [0, 1, 2, 3, 5, 4, -1][i % 7]
        custom = json.dumps({"uid": tag}) if tag else ""
        data["pdd"].append(fx.pdd_row(
            "PD%05d" % i, pdd_code, t, promotion_amount=100 + i % 900,
            order_amount=1000 + i, custom_parameters=custom,
            order_settle_time=t if pdd_code == 5 else 0))
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
