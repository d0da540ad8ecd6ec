#!/usr/bin/env python3
"""Writes the union reply fixtures of tests/fixtures/{jd,taobao,pdd}/.

The replies are built from the unions' documented field lists (see
docs/unions/*.md) in the exact shape each union returns: JD's rows sit in
`queryResult`, a JSON string inside the JSON; Taobao wraps lists in their
element type's name; Pinduoduo gives fen and unix seconds.  The C tests
assert the normalized rows these produce, so change both together.

Run: python3 tests/feeds/make_fixtures.py  (rewrites the files in place)
"""
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


def write(path, text):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def compact(doc):
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- JD

def jd_row(id_, valid_code, modify, **kw):
    """A jd.union.open.order.row.query row with every documented field."""
    row = {
        "id": id_,
        "orderId": kw.get("orderId", 250901000000 + sum(map(ord, id_))),
        "parentId": kw.get("parentId", 0),
        "orderTime": kw.get("orderTime", "2026-10-01 09:30:00"),
        "finishTime": kw.get("finishTime", ""),
        "modifyTime": modify,
        "orderEmt": 2,
        "plus": 0,
        "unionId": 1001234567,
        "skuId": kw.get("skuId", 100012043978),
        "skuName": kw.get("skuName", "京东京造 枕头"),
        "skuNum": kw.get("skuNum", 1),
        "skuReturnNum": 0,
        "skuFrozenNum": 0,
        "price": kw.get("price", 99.5),
        "commissionRate": 10.0,
        "subSideRate": 90.0,
        "subsidyRate": 10.0,
        "finalRate": 100.0,
        "estimateCosPrice": kw.get("estimateCosPrice", 99.5),
        "estimateFee": kw.get("estimateFee", 9.95),
        "actualCosPrice": kw.get("actualCosPrice", 0.0),
        "actualFee": kw.get("actualFee", 0.0),
        "validCode": valid_code,
        "traceType": 2,
        "positionId": kw.get("positionId", 0),
        "siteId": 0,
        "unionAlias": "",
        "pid": "",
        "cid1": 15248,
        "cid2": 15249,
        "cid3": 15251,
        "subUnionId": kw.get("subUnionId", ""),
        "unionTag": "00000000",
        "popId": 0,
        "ext1": "",
        "payMonth": kw.get("payMonth", 0),
        "cpActId": 0,
        "unionRole": 1,
        "giftCouponOcsAmount": 0.0,
        "giftCouponKey": "",
        "balanceExt": kw.get("balanceExt", ""),
        "sign": "0",
        "proPriceAmount": 0.0,
        "rid": 0,
        "goodsInfo": {"shopName": "京东京造官方旗舰店", "shopId": 1000000127,
                      "imageUrl": "jfs/t1/0000/0/0000/0000/placeholder.jpg"},
        "expressStatus": 10,
    }
    return row


def jd_body(rows, has_more=False, code=200, message="success"):
    inner = {"code": code, "message": message, "hasMore": has_more}
    if rows is not None:
        inner["data"] = rows
    return {"jd_union_open_order_row_query_responce": {
        "code": "0", "queryResult": compact(inner)}}


def jd_fixtures():
    # Every validCode JD documents, one row each (ids "S<code>").
    codes = [15, 16, 17, 18, 24] + list(range(2, 15)) + list(range(19, 24)) + \
        list(range(25, 29)) + [-1]
    rows = [jd_row("S%d" % c, c, "2026-10-01 12:00:00", estimateFee=1.0)
            for c in codes]
    write("jd/every_status.json",
          json.dumps(jd_body(rows), ensure_ascii=False, indent=2) + "\n")

    # One item's life, one reply per line: paid, completed, settled, then
    # after-sale changes: a refund takes 2.50 yuan of the commission back,
    # then 1.20 is added.  JD keeps actualFee current and dates each change
    # of it in balanceExt, whose changes sum to actualFee.
    life = [
        jd_row("L1", 16, "2026-10-01 10:00:00", orderId=9001, subUnionId="m-alice"),
        jd_row("L1", 17, "2026-10-05 11:00:00", orderId=9001, subUnionId="m-alice",
               finishTime="2026-10-05 11:00:00"),
        jd_row("L1", 17, "2026-10-06 12:00:00", orderId=9001, subUnionId="m-alice",
               finishTime="2026-10-05 11:00:00", payMonth=20261020,
               actualFee=9.9, actualCosPrice=99.0, balanceExt="{20261020:9.9}"),
        jd_row("L1", 17, "2026-11-21 09:00:00", orderId=9001, subUnionId="m-alice",
               finishTime="2026-10-05 11:00:00", payMonth=20261020,
               actualFee=7.4, actualCosPrice=99.0,
               balanceExt="{20261020:9.9,20261120:-2.5}"),
        jd_row("L1", 17, "2026-11-25 09:00:00", orderId=9001, subUnionId="m-alice",
               finishTime="2026-10-05 11:00:00", payMonth=20261020,
               actualFee=8.6, actualCosPrice=99.0,
               balanceExt="{20261020:9.9,20261120:-2.5,20261220:1.2}"),
    ]
    # Decimals that a double cannot hold exactly; a commission refunded
    # whole after settlement (balanceExt as a JSON object inside the
    # string); and a settled row whose balanceExt dates the 8 yuan of
    # actualFee as +10 and -2 (the commission is 8, never 8 + 10 - 2).
    extra = [
        jd_row("D1", 16, "2026-10-02 10:00:00", estimateFee=0.1, estimateCosPrice=0.1),
        jd_row("D2", 16, "2026-10-02 10:00:00", estimateFee=0.07, estimateCosPrice=0.07),
        jd_row("D3", 16, "2026-10-02 10:00:00", estimateFee=1234567.89,
               estimateCosPrice=1234567.89),
        jd_row("D4", 16, "2026-10-02 10:00:00", estimateFee=9.95, estimateCosPrice=9.95),
        jd_row("N1", 17, "2026-11-22 10:00:00", payMonth="20261020", actualFee=0.0,
               actualCosPrice=10.0, balanceExt="{\"20261020\":1,\"20261120\":-1}"),
        jd_row("E1", 17, "2026-11-22 10:00:00", payMonth=20261020, estimateFee=9.0,
               actualFee=8.0, actualCosPrice=80.0, balanceExt="{20261020:10,20261120:-2}"),
    ]
    lines = [compact(jd_body([r], has_more=False)) for r in life]
    lines.append(compact(jd_body(extra)))
    write("jd/lifecycle.jsonl", "\n".join(lines) + "\n")

    # A split order: the parent row turns invalid (validCode 2) and two
    # child orders take its place, each with its own item key.
    split = [
        jd_row("P1", 2, "2026-10-03 10:05:00", orderId=7000, estimateFee=5.0,
               subUnionId="m-alice"),
        jd_row("C1", 16, "2026-10-03 10:05:00", orderId=7001, parentId=7000,
               estimateFee=3.0, subUnionId="m-alice", skuId=1001),
        jd_row("C2", 16, "2026-10-03 10:05:00", orderId=7002, parentId=7000,
               estimateFee=2.0, subUnionId="m-alice", skuId=1002),
    ]
    write("jd/split.json", json.dumps(jd_body(split), ensure_ascii=False, indent=1) + "\n")

    # Attribution tags: subUnionId first, positionId second; unknown ones.
    tags = [
        jd_row("T1", 16, "2026-10-04 10:00:00", subUnionId="m-alice", positionId=3001),
        jd_row("T2", 16, "2026-10-04 10:00:00", positionId=3002),
        jd_row("T3", 16, "2026-10-04 10:00:00", subUnionId="nobody", positionId=0),
        jd_row("T4", 16, "2026-10-04 10:00:00"),
    ]
    write("jd/tags.json", compact(jd_body(tags)) + "\n")

    # Malformed bodies: each is refused whole; the last body has one good
    # row and two bad ones.
    good = jd_row("G1", 16, "2026-10-05 10:00:00", estimateFee=2.5)
    bad_fee = jd_row("B1", 16, "2026-10-05 10:00:00", estimateFee=9.999)
    bad_time = jd_row("B2", 16, "2026/10/05 10:00", estimateFee=1.0)
    truncated = compact(jd_body([good]))
    malformed = [
        compact(jd_body([jd_row("OK1", 16, "2026-10-05 09:00:00")])),
        "this is not JSON",
        compact({"jd_union_open_goods_query_responce": {"code": "0"}}),
        compact({"error_response": {"code": "19", "zh_desc": "无效签名",
                                    "en_desc": "Invalid signature"}}),
        compact({"jd_union_open_order_row_query_responce": {
            "code": "0", "queryResult": "{\"code\":200,\"data\":[{\"id\":"}}),
        compact(jd_body(None, code=500, message="系统繁忙，请求频率过快")),
        truncated[: len(truncated) // 2],
        compact(jd_body([good, bad_fee, bad_time])),
    ]
    write("jd/malformed.jsonl", "\n".join(malformed) + "\n")


# ---------------------------------------------------------------- Taobao

def tb_row(trade_id, status, modified, **kw):
    """A taobao.tbk.order.details.get publisher_order_dto row."""
    row = {
        "trade_id": trade_id,
        "trade_parent_id": kw.get("trade_parent_id", "P" + trade_id),
        "item_id": kw.get("item_id", "652233991234"),
        "item_title": kw.get("item_title", "南极人 纯棉四件套"),
        "item_num": kw.get("item_num", 1),
        "item_price": "199.00",
        "alipay_total_price": kw.get("alipay_total_price", "99.50"),
        "pay_price": kw.get("alipay_total_price", "99.50"),
        "pub_share_pre_fee": kw.get("pub_share_pre_fee", "9.95"),
        "pub_share_fee": kw.get("pub_share_fee", "0.00"),
        "pub_share_rate": "100.00",
        "total_commission_rate": "10.00",
        "total_commission_fee": "0.00",
        "tk_status": status,
        "tk_create_time": "2026-10-01 09:00:00",
        "tk_paid_time": kw.get("tk_paid_time", "2026-10-01 09:01:00"),
        "tk_earning_time": kw.get("tk_earning_time", ""),
        "modified_time": modified,
        "order_type": "天猫",
        "flow_source": "--",
        "terminal_type": "无线",
        "pub_id": 1234567,
        "site_id": 4000001,
        "site_name": "tuike",
        "adzone_id": kw.get("adzone_id", 110000001),
        "adzone_name": "app",
        "relation_id": kw.get("relation_id", 0),
        "special_id": kw.get("special_id", 0),
        "refund_tag": 0,
        "seller_shop_title": "南极人官方旗舰店",
        "seller_nick": "南极人官方旗舰店",
        "tk_order_role": 2,
    }
    return row


def tb_body(rows, has_next=False, position="", page_no=1):
    return {"tbk_order_details_get_response": {
        "data": {"results": {"publisher_order_dto": rows}, "has_next": has_next,
                 "has_pre": page_no > 1, "page_no": page_no, "page_size": 100,
                 "position_index": position},
        "request_id": "1a2b3c4d5e"}}


def tb_refund_row(trade_id, status, modified, fee="1.50", **kw):
    return {
        "tb_trade_id": trade_id,
        "tb_trade_parent_id": "P" + trade_id,
        "relation_id": kw.get("relation_id", 0),
        "special_id": kw.get("special_id", 0),
        "tk_pub_id": 1234567,
        "tk3rd_pub_id": 0,
        "refund_status": status,
        "refund_type": 1,
        "refund_fee": "15.00",
        "tb_trade_finish_price": "99.50",
        "tk_commission_fee_refund_pub": fee,
        "tk_subsidy_fee_refund_pub": "0.00",
        "tk_commission_fee_refund3rd_pub": "0.00",
        "tk_subsidy_fee_refund3rd_pub": "0.00",
        "tk_pub_show_return_fee": fee,
        "tk_refund_time": "2026-10-20 10:00:00",
        "tk_refund_suit_time": kw.get("suit", "2026-10-22 10:00:00"),
        "earning_time": kw.get("earning_time", ""),
        "tb_trade_create_time": "2026-10-01 09:00:00",
        "tb_auction_title": "南极人 纯棉四件套",
        "modified_time": modified,
    }


def tb_refund_body(rows, total=None):
    return {"tbk_relation_refund_response": {
        "result": {"data": {"page_no": 1, "page_size": 100,
                            "total_count": len(rows) if total is None else total,
                            "results": {"result": rows}},
                   "result_code": 200, "success": True, "biz_error_code": 0},
        "request_id": "6f7e8d9c"}}


def taobao_fixtures():
    rows = [
        tb_row("T11", 11, "2026-10-01 09:00:00", tk_paid_time=""),
        tb_row("T12", 12, "2026-10-01 09:05:00", special_id=7001),
        tb_row("T13", 13, "2026-10-02 10:00:00"),
        tb_row("T14", 14, "2026-10-05 10:00:00", relation_id=8002, special_id=7001),
        tb_row("T3", 3, "2026-11-21 02:00:00", pub_share_fee="8.80",
               tk_earning_time="2026-11-21 01:30:00", relation_id=8002),
        # a split order: one parent order, two items
        tb_row("T900-1", 12, "2026-10-03 10:00:00", trade_parent_id="T900",
               pub_share_pre_fee="3.00", alipay_total_price="30.00"),
        tb_row("T900-2", 12, "2026-10-03 10:00:00", trade_parent_id="T900",
               pub_share_pre_fee="0.07", alipay_total_price="0.70", item_num=2),
    ]
    write("taobao/every_status.json",
          json.dumps(tb_body(rows), ensure_ascii=False, indent=2) + "\n")

    # The same items as a paged answer (simplified JSON: bare arrays).
    pages = []
    for i, part in enumerate([rows[:3], rows[3:5], rows[5:]]):
        body = tb_body(part, has_next=i < 2, position="pos-%d" % (i + 1), page_no=i + 1)
        body["tbk_order_details_get_response"]["data"]["results"] = part
        pages.append(compact(body))
    write("taobao/pages.jsonl", "\n".join(pages) + "\n")

    # Refunds: every refund_status; T12 is refunded before settlement, T3
    # after.  Statuses 2, 12 and 13 take the commission back.
    refunds = [
        tb_refund_row("T12", 2, "2026-10-10 10:00:00", fee="4.00", special_id=7001),
        tb_refund_row("T3", 13, "2026-11-25 10:00:00", fee="2.20", relation_id=8002,
                      earning_time="2026-11-21 01:30:00"),
        tb_refund_row("R3", 3, "2026-10-22 10:00:00"),
        tb_refund_row("R4", 4, "2026-10-22 10:00:00"),
        tb_refund_row("R11", 11, "2026-10-22 10:00:00"),
        tb_refund_row("R12", 12, "2026-10-22 10:00:00", fee="0.07"),
        tb_refund_row("R14", 14, "2026-10-22 10:00:00"),
        tb_refund_row("R15", 15, "", suit="2026-10-23 08:00:00"),
    ]
    write("taobao/refunds.json",
          json.dumps(tb_refund_body(refunds), ensure_ascii=False, indent=2) + "\n")

    good = tb_row("TG1", 12, "2026-10-06 10:00:00")
    truncated = compact(tb_body([good]))
    malformed = [
        compact(tb_body([tb_row("TOK1", 12, "2026-10-06 09:00:00")])),
        compact({"error_response": {"code": 7, "msg": "App Call Limited",
                                    "sub_code": "accesscontrol.limited-by-app-access-count",
                                    "sub_msg": "This ban will last for 3 more seconds"}}),
        compact({"error_response": {"code": 25, "msg": "Invalid signature"}}),
        compact({"tbk_order_details_get_response": {"request_id": "x"}}),
        compact({"tbk_order_details_get_response": {"data": {"results": "none"}}}),
        truncated[: len(truncated) - 20],
        "[1, 2, 3]",
        compact(tb_body([good, tb_row("TB1", 99, "2026-10-06 10:00:00"),
                         tb_row("TB2", 12, "2026-10-06 10:00:00",
                                pub_share_pre_fee="1.234")])),
    ]
    write("taobao/malformed.jsonl", "\n".join(malformed) + "\n")


# ---------------------------------------------------------------- Pinduoduo

BASE = 1790841600  # 2026-10-01T08:00:00Z


def pdd_row(sn, status, modify, **kw):
    """A pdd.ddk.order.list.increment.get order_list row."""
    row = {
        "order_sn": sn,
        "goods_id": kw.get("goods_id", 4026781234),
        "goods_name": kw.get("goods_name", "【百亿补贴】洗衣凝珠 52颗"),
        "goods_thumbnail_url": "https://example.invalid/t.jpg",
        "goods_quantity": kw.get("goods_quantity", 1),
        "goods_price": 1990,
        "order_amount": kw.get("order_amount", 1990),
        "promotion_rate": 100,
        "promotion_amount": kw.get("promotion_amount", 199),
        "order_status": status,
        "order_status_desc": "",
        "order_create_time": BASE,
        "order_pay_time": kw.get("order_pay_time", BASE + 60),
        "order_group_success_time": BASE + 120,
        "order_receive_time": kw.get("order_receive_time", 0),
        "order_verify_time": 0,
        "order_settle_time": kw.get("order_settle_time", 0),
        "order_modify_at": modify,
        "match_channel": 5,
        "type": 0,
        "group_id": 0,
        "auth_duo_id": 0,
        "zs_duo_id": 0,
        "custom_parameters": kw.get("custom_parameters", ""),
        "cpa_new": 0,
        "p_id": kw.get("p_id", "8888888_100000001"),
        "fail_reason": "",
    }
    return row


def pdd_body(rows, total):
    return {"order_list_get_response": {"order_list": rows, "total_count": total,
                                        "request_id": "17302000000000001"}}


def pdd_fixtures():
    rows = [
        pdd_row("S-1", -1, BASE + 100, order_pay_time=0),
        pdd_row("S0", 0, BASE + 100, custom_parameters=compact({"uid": "m-alice"})),
        pdd_row("S1", 1, BASE + 100,
                custom_parameters=compact({"uid": "m-alice", "sid": "group-7"})),
        pdd_row("S2", 2, BASE + 100, order_receive_time=BASE + 90),
        pdd_row("S3", 3, BASE + 100, custom_parameters="plain-uid"),
        pdd_row("S4", 4, BASE + 100),
        pdd_row("S5", 5, BASE + 100, promotion_amount=7, order_amount=70,
                order_settle_time=BASE + 86400 * 20),
        pdd_row("S8", 8, BASE + 100, promotion_amount=0),
        pdd_row("S10", 10, BASE + 100, custom_parameters=compact({"uid": "nobody"})),
    ]
    write("pdd/every_status.json",
          json.dumps(pdd_body(rows, len(rows)), ensure_ascii=False, indent=2) + "\n")

    # One window read last page first (page size 2, five orders); page 2
    # repeats an order that moved while paging — harmless.
    orders = [pdd_row("W%d" % i, 0, BASE + 1000 + i, promotion_amount=100 + i)
              for i in range(1, 6)]
    pages = [pdd_body(orders[4:5], 5), pdd_body(orders[2:4], 5),
             pdd_body(orders[1:3], 5), pdd_body(orders[0:2], 5)]
    write("pdd/pages.jsonl", "\n".join(compact(p) for p in pages) + "\n")

    good = pdd_row("PG1", 0, BASE + 200)
    truncated = compact(pdd_body([good], 1))
    malformed = [
        compact(pdd_body([pdd_row("POK1", 0, BASE + 150)], 1)),
        compact({"error_response": {"error_code": 70031, "error_msg": "调用已超限",
                                    "sub_code": "70031", "sub_msg": "",
                                    "request_id": "1"}}),
        compact({"error_response": {"error_code": 20004, "error_msg": "签名错误"}}),
        compact({"goods_search_response": {}}),
        compact({"order_list_get_response": {"order_list": {"0": {}}}}),
        truncated[:40],
        compact(pdd_body([good, pdd_row("PB1", 6, BASE + 200),
                          pdd_row("PB2", 0, BASE + 200, promotion_amount="1.99")], 3)),
    ]
    write("pdd/malformed.jsonl", "\n".join(malformed) + "\n")


if __name__ == "__main__":
    jd_fixtures()
    taobao_fixtures()
    pdd_fixtures()
