#!/usr/bin/env python3
"""A local stand-in for the JD, Taobao and Pinduoduo order APIs, for tests.

It answers POSTed forms the way each union's gateway does: it checks the
app key and the MD5 signature, enforces each union's query window, pages
(JD pageIndex/hasMore, Taobao page_no/position_index/has_next, Pinduoduo
page/total_count) and, when asked, fails now and then (HTTP 500, the
union's own rate-limit answer, a cut-off body, HTTP 429).  It listens on
127.0.0.1 only.

    mock_union.py --data orders.json --port-file PORT [--log requests.jsonl]
                  [--fail-every N] [--pdd-shift UNIX] [--taobao-window 1200]
                  [--reload] [--deny-convert jd,taobao,pdd] [--delay-convert SECONDS]
                  [--delay-products SECONDS]

It also converts links (转链) like each union's promotion API: JD
jd.union.open.promotion.bysubunionid.get / .common.get, Taobao
taobao.tbk.dg.general.link.convert and taobao.tbk.tpwd.create, Pinduoduo
pdd.ddk.goods.promotion.url.generate.  The member's tag must be in the
request (JD subUnionId or positionId, Taobao relation_id or special_id,
Pinduoduo custom_parameters uid); a product not listed in "convert_items"
is refused as gone, and a union named in --deny-convert refuses every
conversion as not permitted, each in the union's own error shape.  The
short URLs end in link_hash(material, tag): md5 of "material|tag", first
10 hex digits, so a test can check whose link it is.

It also registers members' tags like each union's API: JD
jd.union.open.position.create (positionReq unionId, key, unionType, type,
spaceNameList; createResult {code, data.resultList {name: positionId}}),
Taobao taobao.tbk.sc.publisher.info.save (session, inviter_code, info_type
1 channel / 2 member, relation_from, offline_scene, online_scene; data
{relation_id | special_id, account_name, desc}) and Pinduoduo
pdd.ddk.goods.pid.generate (number, p_id_name_list; p_id_list), checking
the data file's "register" settings (REGISTER_DEFAULTS) and answering in
each union's error shape.

It also stands in for Taobao's OAuth: GET /authorize?response_type=code&
client_id=APP_KEY&redirect_uri=R&state=S sends the browser straight back to
R with a fresh code and the state, as if the member agreed (with
--deny-authorize: error=access_denied and error_description instead);
taobao.top.auth.token.create (signed, param code) takes a code once and
answers token_result, a JSON string holding access_token (a new session),
taobao_user_id, taobao_user_nick, expire_time, ...; and
taobao.tbk.sc.publisher.info.save takes the sessions it issued (besides the
data file's "taobao_sessions").

It also lists products like each union's product API: JD
jd.union.open.goods.jingfen.query (goodsReq eliteId, pageIndex, pageSize
<= 50; totalCount), JD jd.union.open.goods.query (goodsReqDTO keyword or
cid1/cid2/cid3, pageIndex, pageSize <= 50; totalCount), Taobao
taobao.tbk.dg.material.optional (adzone_id, q, page_no, page_size <= 100;
total_results), Pinduoduo pdd.ddk.goods.search (keyword, page, page_size <=
100, list_id from the first page; total_count) and Pinduoduo
pdd.ddk.goods.recommend.get (channel_type 0..8, limit <= 400, offset a
multiple of limit, list_id from the first page; goods_basic_detail_response
list, total, list_id, search_id), from "products": {"jd": {"ELITE_ID":
[rows]}, "jd_query": {"KEYWORD" or "cidN:ID": [rows]}, "taobao": {"Q":
[rows]}, "pdd": {"KEYWORD": [rows]}, "pdd_recommend": {"CHANNEL_TYPE":
[rows]}} ("" is Pinduoduo's search without a keyword).  With
--delay-products every product list request waits that long before its
answer (a slow union, for the pull's time limit).

orders.json: {"jd": [rows], "taobao": [rows], "pdd": [rows],
              "taobao_refunds": [rows], "keys": {"jd": ["app_key", "secret"], ...},
              "convert_items": {"jd": ["sku", ...], "taobao": ["item id"], "pdd": ["goods_sign"]}}
Rows are in each union's own format; a row is returned when its update time
(modifyTime, modified_time, order_modify_at) lies in the window.
Paths: /jd, /taobao, /pdd.  Every request is logged as one JSON line.
With --reload, the data file is read again before a request whenever it
was replaced, so that a test can add orders while a sync keeps polling.
"""
import argparse
import datetime
import hashlib
import http.server
import json
import os
import sys
import time
import urllib.parse

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
WINDOWS = {"jd": 3600, "taobao": 3 * 3600, "pdd": 24 * 3600}


def beijing_to_unix(text):
    t = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    return int(t.timestamp())


def data_stamp(path):
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def update_time(union, row):
    if union == "jd":
        return beijing_to_unix(row["modifyTime"])
    if union == "taobao":
        return beijing_to_unix(row["modified_time"])
    return int(row["order_modify_at"])


def sign(params, secret):
    text = secret + "".join(k + params[k] for k in sorted(params) if k != "sign") + secret
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


def link_hash(material, tag):
    return hashlib.md5((material + "|" + tag).encode("utf-8")).hexdigest()[:10]


JD_CONVERT = ("jd.union.open.promotion.bysubunionid.get", "jd.union.open.promotion.common.get")
TB_CONVERT = ("taobao.tbk.dg.general.link.convert", "taobao.tbk.tpwd.create")
PDD_CONVERT = "pdd.ddk.goods.promotion.url.generate"
JD_POSITION = "jd.union.open.position.create"
TB_PUBLISHER = "taobao.tbk.sc.publisher.info.save"
TB_TOKEN = "taobao.top.auth.token.create"
PDD_PID = "pdd.ddk.goods.pid.generate"
JD_GOODS = ("jd.union.open.goods.jingfen.query", "jd.union.open.goods.query")
TB_GOODS = "taobao.tbk.dg.material.optional"
PDD_GOODS = ("pdd.ddk.goods.search", "pdd.ddk.goods.recommend.get")


def jd_convert_error(method, code, message):
    key = method.replace(".", "_") + "_responce"
    return {key: {"code": "0", "getResult": json.dumps({"code": code, "message": message},
                                                        ensure_ascii=False)}}


class Refusal(Exception):
    """The union's own error answer."""

    def __init__(self, body, status=200):
        super().__init__("refused")
        self.body = body
        self.status = status


def jd_error(code, desc):
    return {"error_response": {"code": str(code), "zh_desc": desc, "en_desc": desc}}


def jd_query_error(code, message):
    return {"jd_union_open_order_row_query_responce": {
        "code": "0", "queryResult": json.dumps({"code": code, "message": message})}}


def top_error(code, msg, sub_code="", sub_msg=""):
    return {"error_response": {"code": code, "msg": msg, "sub_code": sub_code,
                               "sub_msg": sub_msg, "request_id": "mock"}}


def pdd_error(code, msg):
    return {"error_response": {"error_code": code, "error_msg": msg, "sub_code": str(code),
                               "sub_msg": "", "request_id": "mock"}}


# What registration expects (the data file's "register" overrides): JD's
# unionId and authorization key, Taobao's invite codes and the members'
# session keys (from their Taobao authorization).
REGISTER_DEFAULTS = {"jd_union_id": 1001, "jd_key": "jd-position-key",
                     "taobao_channel_code": "CHAN01", "taobao_member_code": "MEMB01",
                     "taobao_sessions": ["sess-alice", "sess-bob", "sess-carol"]}


class Union:
    def __init__(self, args, data):
        self.args = args
        self.load(data)
        self.data_stamp = data_stamp(args.data)
        self.requests = 0
        self.windows_seen = {}
        self.shifted = set()
        self.denied = set(filter(None, (args.deny_convert or "").split(",")))
        self.registered = 0          # registrations answered, for the ids
        self.bound = {}              # (session, info_type) -> Taobao's id
        self.codes = {}              # OAuth code -> the Taobao user it is for
        self.sessions = {}           # sessions token.create issued -> the user's nick
        self.authorized = 0
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None

    def load(self, data):
        self.rows = {u: sorted(data.get(u, []), key=lambda r, u=u: update_time(u, r))
                     for u in WINDOWS}
        self.refunds = sorted(data.get("taobao_refunds", []),
                              key=lambda r: beijing_to_unix(r["tk_refund_suit_time"]))
        self.keys = data.get("keys", {})
        self.convert_items = data.get("convert_items", {})
        self.products = data.get("products", {})
        self.register = dict(REGISTER_DEFAULTS, **data.get("register", {}))

    def reload(self):
        """With --reload: the data file again, if it was replaced since it
        was read (a test adds orders while a sync keeps polling; it
        replaces the file by a rename, so a read never sees half of it)."""
        stamp = data_stamp(self.args.data)
        if stamp != self.data_stamp:
            with open(self.args.data, encoding="utf-8") as f:
                self.load(json.load(f))
            self.data_stamp = stamp

    def record(self, entry):
        if self.log:
            self.log.write(json.dumps(entry) + "\n")
            self.log.flush()

    def check_auth(self, union, p):
        key, secret = self.keys.get(union, ["", ""])
        app_key = p.get("client_id" if union == "pdd" else "app_key", "")
        if app_key != key or p.get("sign") != sign(p, secret) or not p.get("timestamp"):
            raise Refusal({"jd": jd_error(19, "无效签名"),
                           "taobao": top_error(25, "Invalid signature"),
                           "pdd": pdd_error(20004, "签名错误")}[union])

    def window_rows(self, union, start, end):
        return [r for r in self.rows[union] if start <= update_time(union, r) <= end]

    def check_window(self, union, start, end):
        limit = WINDOWS[union]
        if union == "taobao" and self.args.taobao_window:
            limit = self.args.taobao_window
        if end < start or end - start > limit:
            raise Refusal({"jd": jd_query_error(411, "startTime与endTime间隔不能超过1小时"),
                           "taobao": top_error(15, "Remote service error",
                                               "isv.invalid-parameter",
                                               "订单查询时间段超过限制"),
                           "pdd": pdd_error(10000, "查询时间不能超过24小时")}[union])

    # ---- the three APIs ----

    def jd(self, p, entry):
        if p.get("method") == JD_POSITION:
            return self.jd_position(p, entry)
        if p.get("method") in JD_CONVERT:
            return self.jd_convert(p, entry)
        if p.get("method") == JD_GOODS[0]:
            return self.jd_goods(p, entry)
        if p.get("method") == JD_GOODS[1]:
            return self.jd_goods_query(p, entry)
        if p.get("method") != "jd.union.open.order.row.query":
            raise Refusal(jd_error(22, "无效方法名"))
        req = json.loads(p["360buy_param_json"])["orderReq"]
        start, end = beijing_to_unix(req["startTime"]), beijing_to_unix(req["endTime"])
        self.check_window("jd", start, end)
        if req.get("type") != 3:
            raise Refusal(jd_query_error(400, "type must be 3"))
        size, index = int(req["pageSize"]), int(req["pageIndex"])
        rows = self.window_rows("jd", start, end)
        page = rows[(index - 1) * size:index * size]
        entry.update(page=index, start=start, end=end, n=len(page))
        inner = {"code": 200, "message": "success", "hasMore": index * size < len(rows)}
        if page:
            inner["data"] = page
        return {"jd_union_open_order_row_query_responce": {
            "code": "0", "queryResult": json.dumps(inner, ensure_ascii=False)}}

    def authorize(self, query):
        """Taobao's authorize page, the member agreeing at once: the
        redirect back, or None when the request is not one Taobao takes."""
        q = {k: v[0] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
        key = self.keys.get("taobao", ["", ""])[0]
        redirect = q.get("redirect_uri", "")
        if (q.get("response_type") != "code" or q.get("client_id") != key
                or not redirect.startswith(("http://", "https://")) or not q.get("state")):
            return None
        self.record({"seq": self.requests, "union": "taobao", "method": "oauth.authorize",
                     "view": q.get("view"), "redirect_uri": redirect})
        if self.args.deny_authorize:
            back = {"error": "access_denied", "error_description": "用户拒绝授权",
                    "state": q["state"]}
        else:
            self.authorized += 1
            code = "code-%d-%s" % (self.authorized, hashlib.md5(q["state"].encode()).hexdigest()[:8])
            self.codes[code] = self.authorized
            back = {"code": code, "state": q["state"]}
        return redirect + ("&" if "?" in redirect else "?") + urllib.parse.urlencode(back)

    def taobao_token(self, p, entry):
        code = p.get("code", "")
        entry.update(method=TB_TOKEN, has_code=bool(code))
        if not code:
            raise Refusal(top_error(41, "Missing required arguments:code",
                                    "isv.missing-parameter", "code"))
        user = self.codes.pop(code, None)
        if user is None:
            raise Refusal(top_error(15, "Remote service error", "isv.invalid-code",
                                    "授权码无效或已使用"))
        session = "sess-tok-%d-%s" % (user, hashlib.md5(code.encode()).hexdigest()[:12])
        self.sessions[session] = "tb_user%d" % user
        result = {"w1_expires_in": 86400, "refresh_token_valid_time": 1767225600000,
                  "taobao_user_nick": "tb_user%d" % user, "re_expires_in": 0,
                  "expire_time": 1767225600000, "token_type": "Bearer",
                  "access_token": session, "taobao_open_uid": "AAH%d" % user,
                  "w1_valid": 1767225600000, "refresh_token": "refresh-" + session,
                  "w2_expires_in": 0, "w2_valid": 1762740000000, "r1_expires_in": 86400,
                  "r2_expires_in": 0, "r2_valid": 1762740000000, "r1_valid": 1767225600000,
                  "taobao_user_id": str(3300000000 + user), "expires_in": 86400}
        return {"top_auth_token_create_response": {
            "token_result": json.dumps(result, ensure_ascii=False), "request_id": "mock"}}

    def taobao(self, p, entry):
        if p.get("method") == TB_TOKEN:
            return self.taobao_token(p, entry)
        if p.get("method") == TB_PUBLISHER:
            return self.taobao_publisher(p, entry)
        if p.get("method") == "taobao.tbk.relation.refund":
            return self.taobao_refund(p, entry)
        if p.get("method") == TB_CONVERT[0]:
            return self.taobao_convert(p, entry)
        if p.get("method") == TB_CONVERT[1]:
            return self.taobao_tpwd(p, entry)
        if p.get("method") == "taobao.tbk.dg.material.optional":
            return self.taobao_goods(p, entry)
        if p.get("method") != "taobao.tbk.order.details.get" or p.get("query_type") != "4":
            raise Refusal(top_error(21, "Invalid method"))
        start, end = beijing_to_unix(p["start_time"]), beijing_to_unix(p["end_time"])
        self.check_window("taobao", start, end)
        size, page_no = int(p["page_size"]), int(p["page_no"])
        if page_no > 1 and p.get("position_index") != "pos-%d" % (page_no - 1):
            raise Refusal(top_error(15, "Remote service error", "isv.invalid-parameter",
                                    "position_index is required"))
        rows = self.window_rows("taobao", start, end)
        page = rows[(page_no - 1) * size:page_no * size]
        entry.update(page=page_no, start=start, end=end, n=len(page))
        return {"tbk_order_details_get_response": {
            "data": {"results": {"publisher_order_dto": page},
                     "has_next": page_no * size < len(rows), "has_pre": page_no > 1,
                     "page_no": page_no, "page_size": size,
                     "position_index": "pos-%d" % page_no},
            "request_id": "mock"}}

    def taobao_refund(self, p, entry):
        """Refunds by completion time from start_time, for one window's span."""
        opt = json.loads(p["search_option"])
        if opt.get("search_type") != 3:
            raise Refusal(top_error(15, "Remote service error", "isv.invalid-parameter",
                                    "search_type"))
        start = beijing_to_unix(opt["start_time"])
        size, page_no = int(opt["page_size"]), int(opt["page_no"])
        rows = [r for r in self.refunds
                if start <= beijing_to_unix(r["tk_refund_suit_time"]) <= start + WINDOWS["taobao"]]
        page = rows[(page_no - 1) * size:page_no * size]
        entry.update(method="refund", page=page_no, start=start, n=len(page))
        return {"tbk_relation_refund_response": {
            "result": {"data": {"page_no": page_no, "page_size": size, "total_count": len(rows),
                                "results": {"result": page}},
                       "result_code": 200, "success": True},
            "request_id": "mock"}}

    def pdd(self, p, entry):
        if p.get("type") == PDD_PID:
            return self.pdd_pid(p, entry)
        if p.get("type") == PDD_CONVERT:
            return self.pdd_convert(p, entry)
        if p.get("type") == PDD_GOODS[0]:
            return self.pdd_goods(p, entry)
        if p.get("type") == PDD_GOODS[1]:
            return self.pdd_recommend(p, entry)
        if p.get("type") != "pdd.ddk.order.list.increment.get":
            raise Refusal(pdd_error(10000, "type"))
        start, end = int(p["start_update_time"]), int(p["end_update_time"])
        self.check_window("pdd", start, end)
        size, page_no = int(p["page_size"]), int(p["page"])
        rows = self.window_rows("pdd", start, end)
        page = rows[(page_no - 1) * size:page_no * size]
        entry.update(page=page_no, start=start, end=end, n=len(page), total=len(rows))
        body = {"order_list_get_response": {"order_list": page, "total_count": len(rows),
                                            "request_id": "mock"}}
        # An order updated while the client pages: it leaves this window
        # (its new update time lies ahead), and later orders move up.
        seen = self.windows_seen.setdefault((start, end), 0) + 1
        self.windows_seen[(start, end)] = seen
        if (self.args.pdd_shift and seen == 2 and len(rows) > size
                and (start, end) not in self.shifted):
            self.shifted.add((start, end))
            moved = rows[0]
            moved["order_modify_at"] = self.args.pdd_shift
            moved["order_status"] = 2
            self.rows["pdd"].sort(key=lambda r: update_time("pdd", r))
            entry["shifted"] = moved["order_sn"]
        return body

    # ---- product lists ----

    def product_rows(self, union, name):
        return self.products.get(union, {}).get(name, [])

    def jd_goods(self, p, entry):
        def fail(code, message):
            return Refusal({"jd_union_open_goods_jingfen_query_responce": {
                "code": "0", "queryResult": json.dumps({"code": code, "message": message},
                                                       ensure_ascii=False)}})
        try:
            req = json.loads(p["360buy_param_json"])["goodsReq"]
            elite, index, size = int(req["eliteId"]), int(req["pageIndex"]), int(req["pageSize"])
        except (KeyError, ValueError, TypeError):
            raise fail(400, "goodsReq.eliteId不能为空")
        if size < 1 or size > 50:
            raise fail(400, "pageSize不能超过50")
        rows = self.product_rows("jd", str(elite))
        page = rows[(index - 1) * size:index * size]
        entry.update(method=p["method"], list=elite, page=index, n=len(page))
        inner = {"code": 200, "message": "success", "totalCount": len(rows), "data": page}
        return {"jd_union_open_goods_jingfen_query_responce": {
            "code": "0", "queryResult": json.dumps(inner, ensure_ascii=False)}}

    def jd_goods_query(self, p, entry):
        """Keyword or category search: goodsReqDTO, at least one of keyword,
        cid1, cid2, cid3; the rows of "jd_query" under the keyword or
        "cidN:ID"."""
        method = JD_GOODS[1]

        def fail(code, message):
            return Refusal({"jd_union_open_goods_query_responce": {
                "code": "0", "queryResult": json.dumps({"code": code, "message": message},
                                                       ensure_ascii=False)}})
        try:
            req = json.loads(p["360buy_param_json"])["goodsReqDTO"]
            index, size = int(req["pageIndex"]), int(req["pageSize"])
        except (KeyError, ValueError, TypeError):
            raise fail(400, "goodsReqDTO.pageIndex与pageSize不能为空")
        if size < 1 or size > 50:
            raise fail(400, "pageSize不能超过50")
        if "eliteId" in req:
            raise fail(400, "eliteId不是goods.query的参数")
        cids = [k for k in ("cid1", "cid2", "cid3") if req.get(k)]
        keyword = req.get("keyword") or ""
        if not keyword and not cids:
            raise fail(400, "keyword与类目id不能同时为空")
        name = keyword if keyword else "%s:%d" % (cids[0], int(req[cids[0]]))
        rows = self.product_rows("jd_query", name)
        page = rows[(index - 1) * size:index * size]
        entry.update(method=method, list=name, page=index, n=len(page))
        inner = {"code": 200, "message": "success", "totalCount": len(rows), "data": page}
        return {"jd_union_open_goods_query_responce": {
            "code": "0", "queryResult": json.dumps(inner, ensure_ascii=False)}}

    def pdd_recommend(self, p, entry):
        """Channel lists: channel_type (0 1.9包邮, 1 今日爆款, 2 品牌清仓, 4 猜你喜欢,
        5 实时热销, 6 实时收益, 7 今日畅销, 8 高佣榜单; 3 needs goods ids),
        limit, offset a whole number of pages, list_id from the first page."""
        try:
            channel = int(p.get("channel_type", "1"))
            limit, offset = int(p.get("limit", "400")), int(p.get("offset", "0"))
        except ValueError:
            raise Refusal(pdd_error(10000, "参数错误"))
        if channel not in (0, 1, 2, 4, 5, 6, 7, 8):
            raise Refusal(pdd_error(10000, "channel_type取值错误"))
        if limit < 1 or limit > 400 or offset < 0 or offset % limit:
            raise Refusal(pdd_error(10000, "offset需是limit的整数倍"))
        list_id = "mock-ch%d" % channel
        if offset > 0 and p.get("list_id") != list_id:
            raise Refusal(pdd_error(10000, "翻页时list_id必须与首页一致"))
        rows = self.product_rows("pdd_recommend", str(channel))
        page = rows[offset:offset + limit]
        entry.update(method=p["type"], list=channel, page=offset // limit + 1, n=len(page))
        return {"goods_basic_detail_response": {"list": page, "total": len(rows),
                                                "list_id": list_id, "search_id": "mock",
                                                "request_id": "mock"}}

    def taobao_goods(self, p, entry):
        if not p.get("adzone_id", "").isdigit():
            raise Refusal(top_error(41, "Invalid arguments:adzone_id",
                                    "isv.invalid-parameter", "adzone_id"))
        if not p.get("q"):
            raise Refusal(top_error(41, "Missing required arguments:q",
                                    "isv.missing-parameter", "q或cat不能同时为空"))
        size, page_no = int(p.get("page_size", "20")), int(p.get("page_no", "1"))
        if size < 1 or size > 100:
            raise Refusal(top_error(41, "Invalid arguments:page_size",
                                    "isv.invalid-parameter", "page_size"))
        rows = self.product_rows("taobao", p["q"])
        page = rows[(page_no - 1) * size:page_no * size]
        entry.update(method=p["method"], list=p["q"], page=page_no, n=len(page))
        return {"tbk_dg_material_optional_response": {
            "result_list": {"map_data": page}, "total_results": len(rows),
            "request_id": "mock"}}

    def pdd_goods(self, p, entry):
        keyword = p.get("keyword", "")
        size, page_no = int(p.get("page_size", "100")), int(p.get("page", "1"))
        if size < 1 or size > 100:
            raise Refusal(pdd_error(10000, "page_size必须在10到100之间"))
        list_id = "mock-" + hashlib.md5(keyword.encode()).hexdigest()[:8]
        if page_no > 1 and p.get("list_id") != list_id:
            raise Refusal(pdd_error(10000, "翻页时list_id必须与首页一致"))
        rows = self.product_rows("pdd", keyword)
        page = rows[(page_no - 1) * size:page_no * size]
        entry.update(method=p["type"], list=keyword, page=page_no, n=len(page))
        return {"goods_search_response": {"goods_list": page, "total_count": len(rows),
                                          "list_id": list_id, "search_id": "mock",
                                          "request_id": "mock"}}

    # ---- link conversion ----

    def known(self, union, material):
        return material in self.convert_items.get(union, [])

    def jd_convert(self, p, entry):
        method = p["method"]
        try:
            req = json.loads(p["360buy_param_json"])["promotionCodeReq"]
        except (KeyError, ValueError):
            raise Refusal(jd_convert_error(method, 400, "promotionCodeReq is required"))
        material = req.get("materialId", "")
        tag = req.get("subUnionId") or req.get("positionId") or ""
        entry.update(method=method, material=material, tag=tag,
                     position=req.get("positionId"))
        if not material.startswith("https://"):
            raise Refusal(jd_convert_error(method, 400, "materialId必须是链接"))
        if method.endswith("common.get") and not req.get("siteId"):
            raise Refusal(jd_convert_error(method, 400, "siteId不能为空"))
        if not tag:
            raise Refusal(jd_convert_error(method, 400, "subUnionId或positionId不能为空"))
        if "jd" in self.denied:
            raise Refusal(jd_convert_error(method, 403, "无subUnionId权限，请申请"))
        sku = material.rsplit("/", 1)[-1].split(".")[0]
        if not self.known("jd", sku):
            raise Refusal(jd_convert_error(method, 2001501, "商品不在推广中"))
        h = link_hash(material, tag)
        data = {"clickURL": "https://union-click.jd.com/jdc?e=%s&sub=%s" % (h, tag)}
        if req.get("chainType") in (2, 3) or method.endswith("common.get"):
            data["shortURL"] = "https://u.jd.com/" + h
        key = method.replace(".", "_") + "_responce"
        return {key: {"code": "0", "getResult": json.dumps(
            {"code": 200, "message": "success", "data": data}, ensure_ascii=False)}}

    def taobao_convert(self, p, entry):
        material = p.get("item_id_list") or p.get("material_list") or ""
        tag = p.get("relation_id") or p.get("special_id") or ""
        entry.update(method=p["method"], material=material, tag=tag, adzone=p.get("adzone_id"))
        if not p.get("adzone_id", "").isdigit():
            raise Refusal(top_error(41, "Invalid arguments:adzone_id",
                                    "isv.invalid-parameter", "adzone_id"))
        if not material:
            raise Refusal(top_error(41, "Missing required arguments:material_list",
                                    "isv.missing-parameter", "material_list"))
        if not tag:
            raise Refusal(top_error(15, "Remote service error", "isv.invalid-parameter",
                                    "relation_id或special_id不能为空"))
        if "taobao" in self.denied:
            raise Refusal(top_error(11, "Insufficient isv permissions",
                                    "isv.permission-api-package-limit", "该渠道未授权"))
        item = material.split("id=")[-1].split("&")[0]
        if not self.known("taobao", item):
            raise Refusal(top_error(15, "Remote service error", "isv.item-not-exist",
                                    "商品不存在或不在推广中"))
        h = link_hash(material, tag)
        info = {"material_id": item, "material_type": 1,
                "cps_short_url": "https://s.click.taobao.com/" + h,
                "cps_long_url": "https://uland.taobao.com/item/edetail?e=%s&rid=%s" % (h, tag)}
        # an item id comes back in item_url_list, a URL in material_url_list,
        # wrapped under the element's type name as TOP's default JSON does
        name = "item_url_list" if p.get("item_id_list") else "material_url_list"
        entry = {"code": 0, "link_info_dto": info}
        entry["input_item_id" if name == "item_url_list" else "input_material_url"] = material
        return {"tbk_dg_general_link_convert_response": {
            "data": {name: {name: [entry]}}, "request_id": "mock"}}

    def taobao_tpwd(self, p, entry):
        url = p.get("url", "")
        entry.update(method=p["method"], url=url)
        if not url.startswith("https://") or len(p.get("text", "")) < 5:
            raise Refusal(top_error(41, "Invalid arguments:url", "isv.invalid-parameter", "url"))
        word = "￥%s￥" % hashlib.md5(url.encode()).hexdigest()[:11]
        return {"tbk_tpwd_create_response": {
            "data": {"model": word + " " + p["text"], "password_simple": word},
            "request_id": "mock"}}

    def pdd_convert(self, p, entry):
        try:
            custom = json.loads(p.get("custom_parameters") or "{}")
            goods = json.loads(p.get("goods_sign_list") or p.get("goods_id_list") or "[]")
        except ValueError:
            raise Refusal(pdd_error(10000, "参数错误"))
        uid = str(custom.get("uid", ""))
        material = str(goods[0]) if goods else ""
        entry.update(method=p["type"], material=material, tag=uid, pid=p.get("p_id"),
                     sid=custom.get("sid"))
        if not p.get("p_id") or not material:
            raise Refusal(pdd_error(10000, "p_id和goods_sign_list不能为空"))
        if not uid:
            raise Refusal(pdd_error(60001, "custom_parameters缺少uid，请先备案"))
        if "pdd" in self.denied:
            raise Refusal(pdd_error(60002, "该推广位未备案，请先进行媒体备案"))
        if not self.known("pdd", material):
            raise Refusal(pdd_error(60003, "商品不存在或已下架"))
        h = link_hash(material, uid)
        link = {"short_url": "https://p.pinduoduo.com/" + h,
                "mobile_short_url": "https://mobile.yangkeduo.com/s/" + h,
                "url": "https://mobile.yangkeduo.com/duo_coupon_landing.html?goods_sign=%s"
                       "&pid=%s&cpsSign=%s" % (material, p["p_id"], h),
                "mobile_url": "https://mobile.yangkeduo.com/app.html?h=" + h}
        return {"goods_promotion_url_generate_response": {
            "goods_promotion_url_list": [link], "request_id": "mock"}}

    # ---- tag registration ----

    def jd_position(self, p, entry):
        def fail(code, message):
            return Refusal({"jd_union_open_position_create_responce": {
                "code": "0", "createResult": json.dumps({"code": code, "message": message},
                                                        ensure_ascii=False)}})
        try:
            req = json.loads(p["360buy_param_json"])["positionReq"]
        except (KeyError, ValueError):
            raise fail(400, "positionReq不能为空")
        names = req.get("spaceNameList") or []
        entry.update(method=JD_POSITION, names=names, type=req.get("type"))
        for field in ("unionId", "key", "unionType", "type"):
            if req.get(field) in (None, ""):
                raise fail(400, "%s不能为空" % field)
        if not isinstance(names, list) or not names or not all(names):
            raise fail(400, "spaceNameList不能为空")
        if req["unionId"] != self.register["jd_union_id"] or req["key"] != self.register["jd_key"]:
            raise fail(403, "key与unionId不匹配或已过期")
        if req["type"] not in (3, 4) or req["unionType"] not in (1, 2):
            raise fail(400, "type或unionType取值错误")
        if "jd" in self.denied:
            raise fail(403, "无创建推广位权限，请申请")
        result = {}
        for name in names:
            self.registered += 1
            result[name] = 3000000000 + self.registered
        return {"jd_union_open_position_create_responce": {
            "code": "0", "createResult": json.dumps(
                {"code": 200, "message": "success",
                 "data": {"resultList": result, "siteId": int(req.get("siteId") or 0),
                          "type": req["type"], "unionId": req["unionId"]}},
                ensure_ascii=False)}}

    def taobao_publisher(self, p, entry):
        info_type = p.get("info_type", "")
        entry.update(method=TB_PUBLISHER, info_type=info_type, note=p.get("note"),
                     has_session=bool(p.get("session")))
        for field in ("inviter_code", "info_type"):
            if not p.get(field):
                raise Refusal(top_error(41, "Missing required arguments:" + field,
                                        "isv.missing-parameter", field))
        if not p.get("session"):
            raise Refusal(top_error(26, "Missing session", "", "需要用户授权"))
        if p["session"] not in self.register["taobao_sessions"] and p["session"] not in self.sessions:
            raise Refusal(top_error(27, "Invalid session", "invalid-sessionkey",
                                    "用户授权已失效，请重新授权"))
        if info_type not in ("1", "2"):
            raise Refusal(top_error(41, "Invalid arguments:info_type", "isv.invalid-parameter",
                                    "info_type"))
        code = self.register["taobao_channel_code" if info_type == "1" else "taobao_member_code"]
        if p["inviter_code"] != code:
            raise Refusal(top_error(15, "Remote service error", "isv.invite-code-invalid",
                                    "邀请码不存在或已失效"))
        if info_type == "1":
            for field in ("relation_from", "offline_scene", "online_scene"):
                if not p.get(field):
                    raise Refusal(top_error(41, "Missing required arguments:" + field,
                                            "isv.missing-parameter", field))
        if "taobao" in self.denied:
            raise Refusal(top_error(11, "Insufficient isv permissions",
                                    "isv.permission-api-package-limit", "私域备案权限未开通"))
        key = (p["session"], info_type)
        again = key in self.bound
        if not again:
            self.registered += 1
            self.bound[key] = (2700000000 if info_type == "1" else 5100000000) + self.registered
        data = {"account_name": self.sessions.get(p["session"], "tb_" + p["session"][5:]),
                "desc": ""}
        data["relation_id" if info_type == "1" else "special_id"] = self.bound[key]
        if again:
            data["desc"] = "重复绑定渠道" if info_type == "1" else "重复绑定粉丝"
        return {"tbk_sc_publisher_info_save_response": {"data": data, "request_id": "mock"}}

    def pdd_pid(self, p, entry):
        try:
            names = json.loads(p.get("p_id_name_list") or "[]")
        except ValueError:
            raise Refusal(pdd_error(10000, "p_id_name_list格式错误"))
        entry.update(method=PDD_PID, names=names)
        if not p.get("number", "").isdigit() or not 1 <= int(p["number"]) <= 100:
            raise Refusal(pdd_error(10000, "number取值范围为1~100"))
        if len(names) != int(p["number"]):
            raise Refusal(pdd_error(10000, "p_id_name_list数量与number不一致"))
        if "pdd" in self.denied:
            raise Refusal(pdd_error(60002, "该媒体未备案，请先进行媒体备案"))
        out = []
        for name in names:
            self.registered += 1
            out.append({"p_id": "1001_%d" % (20000000 + self.registered), "pid_name": name,
                        "create_time": 1762740000})
        return {"p_id_generate_response": {"p_id_list": out, "remain_pid_count": 5000 - len(out),
                                           "request_id": "mock"}}

    # ---- failures now and then ----

    def failure(self, union, p):
        """Every Nth request fails, in turn in each of four ways."""
        if not self.args.fail_every or self.requests % self.args.fail_every:
            return None
        kind = (self.requests // self.args.fail_every) % 4
        if kind == 0:
            return 500, {}, b"internal error"
        if kind == 1 and p.get("method") in JD_CONVERT:
            return 200, {}, json.dumps(jd_convert_error(p["method"], 429, "请求频率过快")).encode()
        if kind == 1 and p.get("method") == JD_POSITION:
            return 200, {}, json.dumps({"jd_union_open_position_create_responce": {
                "code": "0", "createResult": json.dumps({"code": 429, "message": "请求频率过快"},
                                                        ensure_ascii=False)}}).encode()
        if kind == 1:
            limited = {"jd": jd_query_error(429, "请求频率过快，请稍后再试"),
                       "taobao": top_error(7, "App Call Limited",
                                           "accesscontrol.limited-by-app-access-count",
                                           "This ban will last for 0 more seconds"),
                       "pdd": pdd_error(70031, "调用已超限")}[union]
            return 200, {}, json.dumps(limited).encode()
        if kind == 2:
            return 200, {}, b'{"cut off in the mid'
        return 429, {"Retry-After": "0"}, b"slow down"


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "mock-union"

    def log_message(self, fmt, *args):  # keep test output clean
        pass

    def reply(self, status, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def hold(self, seq):
        """Keeps request number `seq` waiting while the hold file names a
        number <= seq, so that a test can kill a client at an exact point
        (bounded: at most 60 s)."""
        path = self.server.hold_file
        for _ in range(6000):
            try:
                with open(path or "", encoding="utf-8") as f:
                    at = int(f.read().strip())
            except (OSError, ValueError):
                return
            if seq < at:
                return
            time.sleep(0.01)

    def do_GET(self):
        """Taobao's OAuth authorize page (/authorize); nothing else."""
        state = self.server.state
        path, _, query = self.path.partition("?")
        state.requests += 1
        to = state.authorize(query) if path == "/authorize" else None
        if to is None:
            self.reply(400 if path == "/authorize" else 404, b'{"error":"invalid_request"}')
            return
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        state = self.server.state
        union = self.path.strip("/").split("?")[0]
        length = int(self.headers.get("Content-Length", "0"))
        form = self.rfile.read(length).decode("utf-8")
        p = {k: v[0] for k, v in urllib.parse.parse_qs(form, keep_blank_values=True).items()}
        state.requests += 1
        self.hold(state.requests)
        if state.args.reload:
            state.reload()
        entry = {"seq": state.requests, "union": union}
        if union not in WINDOWS:
            self.reply(404, b"{}")
            return
        if state.args.delay_products and (p.get("method") in JD_GOODS + (TB_GOODS,)
                                          or p.get("type") in PDD_GOODS):
            time.sleep(state.args.delay_products)  # a slow union, for the time limit
        if state.args.delay_convert and (p.get("method") in JD_CONVERT + TB_CONVERT
                                         or p.get("type") == PDD_CONVERT):
            time.sleep(state.args.delay_convert)  # a slow union, for the lock tests
        fail = state.failure(union, p)
        if fail:
            entry["failed"] = fail[0]
            state.record(entry)
            self.reply(fail[0], fail[2], fail[1])
            return
        try:
            state.check_auth(union, p)
            body = getattr(state, union)(p, entry)
            entry["ok"] = True
        except Refusal as r:
            body = r.body
            entry["refused"] = json.dumps(body, ensure_ascii=False)[:200]
        state.record(entry)
        self.reply(200, json.dumps(body, ensure_ascii=False).encode("utf-8"))


class Server(http.server.HTTPServer):
    def handle_error(self, request, client_address):
        # A client killed mid-request (the crash tests do that) is expected.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--fail-every", type=int, default=0)
    ap.add_argument("--pdd-shift", type=int, default=0)
    ap.add_argument("--taobao-window", type=int, default=0)
    ap.add_argument("--reload", action="store_true",
                    help="read the data file again when it is replaced")
    ap.add_argument("--deny-convert", help="unions (comma-separated) refusing conversions "
                                           "as not permitted")
    ap.add_argument("--delay-convert", type=float, default=0,
                    help="seconds each conversion request waits before its answer")
    ap.add_argument("--delay-products", type=float, default=0,
                    help="seconds each product list request waits before its answer")
    ap.add_argument("--hold-file",
                    help="a file naming a request number; that request and later ones "
                         "wait while the file exists")
    ap.add_argument("--deny-authorize", action="store_true",
                    help="the OAuth authorize page answers as if the member refused")
    ap.add_argument("--max-requests", type=int, default=200000,
                    help="stop serving after this many requests (a bound for tests)")
    args = ap.parse_args()
    with open(args.data, encoding="utf-8") as f:
        data = json.load(f)
    server = Server(("127.0.0.1", 0), Handler)
    server.state = Union(args, data)
    server.hold_file = args.hold_file
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    while server.state.requests < args.max_requests:
        server.handle_request()
    sys.exit(0)


if __name__ == "__main__":
    main()
