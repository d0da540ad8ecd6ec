#!/usr/bin/env python3
"""Product rows in each union's own reply format, for mock_union.py's
"products" lists: the fields the product APIs document (JD JFGoodsResp of
jd.union.open.goods.jingfen.query, Taobao map_data of
taobao.tbk.dg.material.optional, Pinduoduo goods_list of
pdd.ddk.goods.search), in their own units: JD yuan numbers and percent,
times in unix milliseconds; Taobao yuan strings, commission_rate in
hundredths of a percent, coupon dates; Pinduoduo fen, promotion_rate per
mille, unix seconds, sales_tip text.

    product_rows.py --out products.json --spec SPEC.json
SPEC: {"keys": ..., "jd": {"ELITE": [product]}, "jd_query": {"KEYWORD" or
"cidN:ID": [product]}, "taobao": {...}, "pdd": {...}, "pdd_recommend":
{"CHANNEL_TYPE": [product]}}
where a product is {"id", "title", "price" (fen), "rate_bps", "sales",
"coupon" (fen), "coupon_min" (fen), "coupon_start", "coupon_end" (unix s)}.
"""
import argparse
import datetime
import json

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def yuan(fen):
    return "%d.%02d" % (fen // 100, fen % 100)


def day(t):
    return datetime.datetime.fromtimestamp(t, BEIJING).strftime("%Y-%m-%d")


def jd_goods(p):
    row = {"skuId": int(p["id"]), "skuName": p["title"],
           "priceInfo": {"price": float(yuan(p["price"])), "lowestPrice": float(yuan(p["price"]))},
           "commissionInfo": {"commissionShare": p["rate_bps"] / 100,
                              "commission": round(p["price"] * p["rate_bps"] / 1e6, 2)},
           "inOrderCount30Days": p.get("sales", 0), "inOrderCount30DaysSku": p.get("sales", 0),
           "shopInfo": {"shopName": p.get("shop", "京东自营"), "shopId": 1000},
           "categoryInfo": {"cid1": 1316, "cid1Name": p.get("category", "美妆护肤"),
                            "cid3": 1, "cid3Name": "洗发水"},
           "brandName": p.get("brand", ""), "owner": "g",
           "imageInfo": {"imageList": [{"url": "https://img14.360buyimg.com/n1/%s.jpg" % p["id"]}]},
           "materialUrl": "item.jd.com/%s.html" % p["id"]}
    if p.get("coupon"):
        row["couponInfo"] = {"couponList": [
            {"bindType": 3, "discount": float(yuan(1000)), "quota": 0.0, "isBest": 0,
             "link": "https://coupon.m.jd.com/coupons/show.action?key=other",
             "useStartTime": p["coupon_start"] * 1000, "useEndTime": p["coupon_end"] * 1000},
            {"bindType": 3, "discount": float(yuan(p["coupon"])),
             "quota": float(yuan(p.get("coupon_min", 0))), "isBest": 1, "platformType": 0,
             "link": "https://coupon.m.jd.com/coupons/show.action?key=%s" % p["id"],
             "getStartTime": p["coupon_start"] * 1000, "getEndTime": p["coupon_end"] * 1000,
             "useStartTime": p["coupon_start"] * 1000, "useEndTime": p["coupon_end"] * 1000}]}
    return row


def tb_item(p):
    row = {"item_id": p["id"], "title": p["title"], "zk_final_price": yuan(p["price"]),
           "reserve_price": yuan(p["price"] + 1000), "commission_rate": str(p["rate_bps"]),
           "volume": p.get("sales", 0), "shop_title": p.get("shop", "旗舰店"), "user_type": 1,
           "level_one_category_name": p.get("category", "美妆个护"), "category_name": "洗发水",
           "pict_url": "//img.alicdn.com/bao/uploaded/%s.jpg" % p["id"],
           "url": "//s.click.taobao.com/t?e=%s" % p["id"],
           "item_url": "https://item.taobao.com/item.htm?id=%s" % p["id"]}
    if p.get("coupon"):
        row.update(coupon_amount=yuan(p["coupon"]), coupon_start_fee=yuan(p.get("coupon_min", 0)),
                   coupon_start_time=day(p["coupon_start"]), coupon_end_time=day(p["coupon_end"]),
                   coupon_share_url="//uland.taobao.com/coupon/edetail?e=%s" % p["id"],
                   coupon_id="c%s" % p["id"], coupon_total_count=1000, coupon_remain_count=10)
    return row


def pdd_goods(p):
    sales = p.get("sales", 0)
    tip = str(sales) if sales < 10000 else "%d.%d万+" % (sales // 10000, sales % 10000 // 1000)
    row = {"goods_id": int(p["id"]), "goods_sign": "E9%sx" % p["id"], "goods_name": p["title"],
           "min_group_price": p["price"], "min_normal_price": p["price"] + 500,
           "promotion_rate": p["rate_bps"] // 10, "sales_tip": tip,
           "mall_name": p.get("shop", "拼多多店"), "category_name": p.get("category", "日用百货"),
           "brand_name": p.get("brand", ""), "has_coupon": bool(p.get("coupon")),
           "goods_image_url": "https://img.pddpic.com/%s.jpg" % p["id"]}
    if p.get("coupon"):
        row.update(coupon_discount=p["coupon"], coupon_min_order_amount=p.get("coupon_min", 0),
                   coupon_start_time=p["coupon_start"], coupon_end_time=p["coupon_end"],
                   coupon_total_quantity=1000, coupon_remain_quantity=10)
    return row


# jd_query: jd.union.open.goods.query (the same goods fields as jingfen);
# pdd_recommend: pdd.ddk.goods.recommend.get (the same as goods.search)
MAKERS = {"jd": jd_goods, "jd_query": jd_goods, "taobao": tb_item, "pdd": pdd_goods,
          "pdd_recommend": pdd_goods}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--spec", required=True)
    a = ap.parse_args()
    with open(a.spec, encoding="utf-8") as f:
        spec = json.load(f)
    data = {"keys": spec["keys"], "products": {}}
    for union, make in MAKERS.items():
        data["products"][union] = {name: [make(p) for p in rows]
                                   for name, rows in spec.get(union, {}).items()}
    with open(a.out + ".tmp", "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    import os
    os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    main()
