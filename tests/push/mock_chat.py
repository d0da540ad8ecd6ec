#!/usr/bin/env python3
"""A local stand-in for the chat platforms tuike sends offers to, for tests.

One HTTP server on 127.0.0.1 answering like each platform's webhook:

  WeCom group robot   POST /cgi-bin/webhook/send?key=KEY
  DingTalk robot      POST /robot/send?access_token=T[&timestamp=MS&sign=S]
  Feishu custom bot   POST /open-apis/bot/v2/hook/TOKEN
  Telegram bot        POST /bot<TOKEN>/sendMessage, /bot<TOKEN>/sendPhoto

    mock_chat.py --config robots.json --port-file PORT [--log delivered.jsonl]
                 [--refused refused.jsonl] [--violations violations.jsonl]
                 [--fail-every N] [--fail-kinds K,...] [--max-requests N]

robots.json names the robots it knows (anything else is refused with the
platform's own "invalid key/token" answer); every field but the key is
optional, "name" is what the logs call the robot (default: the key):

  {"wecom":    {"KEY": {"name": "w1"}},
   "dingtalk": {"TOKEN": {"name": "d1", "secret": "SEC...", "keywords": ["券"]}},
   "feishu":   {"TOKEN": {"name": "f1", "secret": "...", "keywords": []}},
   "telegram": {"123:ABC": {"name": "t1", "chats": {"-1001": "group", "42": "private"},
                            "kicked": ["-1002"]}}}

A DingTalk or Feishu robot with a secret requires a valid signature
(DingTalk: timestamp ms within an hour of the receiver's clock, sign =
urlencode(base64(HMAC-SHA256(key=secret, msg=ts + "\\n" + secret))); Feishu:
timestamp s within an hour, sign = base64(HMAC-SHA256(key=ts + "\\n" + secret,
msg=""))); one with keywords requires one of them in the message.  A
Telegram chat not listed is "chat not found"; a chat whose id starts with
"-" is a group unless listed otherwise.

Each platform's payload is checked (required fields, content limits) and
its rate limits are enforced over sliding windows of delivered messages, per
robot (Telegram: per chat, per group chat and per bot):

  WeCom     20/min                -> errcode 45009
  DingTalk  20/min                -> errcode 130101, the robot blocked 10 min
  Feishu    100/min and 5/s       -> HTTP 429, code 9499 "too many request"
  Telegram  1/s per chat, 20/min per group chat, 30/s per bot
                                  -> HTTP 429, parameters.retry_after

The clock is the real one, or, when a request carries the header
X-Sim-Time-Ms, that time (tuike's simulated time).

--fail-every N: every Nth request that would be delivered fails instead,
in turn an HTTP 500, a connection reset partway through the answer, and a
3 s delay followed by a reset; it is not delivered.
--fail-kinds K,...: which failures --fail-every makes, in turn (default
"500,reset,delay"; "500,reset" leaves out the slow one).

Logs (JSONL, one line per request, appended and flushed at once):
  --log         delivered messages: seq, platform, robot, chat, t_ms, msgtype,
                content (the message object as the platform took it), peer
                (the client's port: one port for many lines is a kept-alive
                connection)
  --refused     refused and failed requests: seq, platform, robot, t_ms, http,
                code, msg (and transient: true for --fail-every's failures)
  --violations  requests over a rate or content limit: seq, platform, robot,
                chat, t_ms, limit, code (empty when the sender paces itself)
"""
import argparse
import base64
import bisect
import hashlib
import hmac
import http.server
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse

MIN = 60_000
HOUR = 3_600_000

# Sliding windows per platform: (name, count, window ms)
LIMITS = {
    "wecom": [("20/min", 20, MIN)],
    "dingtalk": [("20/min", 20, MIN)],
    "feishu": [("100/min", 100, MIN), ("5/s", 5, 1000)],
}
DINGTALK_BLOCK_MS = 10 * MIN
TELEGRAM_CHAT = ("1/s per chat", 1, 1000)
TELEGRAM_GROUP = ("20/min per group chat", 20, MIN)
TELEGRAM_BOT = ("30/s per bot", 30, 1000)

WECOM_LIMITS = {"text": 2048, "markdown": 4096}
DINGTALK_TEXT_MAX = 20000
FEISHU_BODY_MAX = 20 * 1024
TELEGRAM_TEXT_MAX = 4096
TELEGRAM_CAPTION_MAX = 1024
TG_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
           "a", "code", "pre", "blockquote", "tg-emoji"}
TG_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class Answer(Exception):
    """The platform's answer to a request it did not deliver."""

    def __init__(self, status, body, code, msg, limit=None):
        super().__init__(msg)
        self.status = status
        self.body = body
        self.code = code
        self.msg = msg
        self.limit = limit   # the limit the request went over, for --violations


def wecom_err(code, msg, limit=None):
    return Answer(200, {"errcode": code, "errmsg": msg}, code, msg, limit)


def dingtalk_err(code, msg, limit=None):
    return Answer(200, {"errcode": code, "errmsg": msg}, code, msg, limit)


def feishu_err(code, msg, status=200, limit=None):
    return Answer(status, {"code": code, "msg": msg, "data": {}}, code, msg, limit)


def telegram_err(status, description, retry_after=None, limit=None):
    body = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return Answer(status, body, status, description, limit)


def b64_hmac(key, msg):
    return base64.b64encode(hmac.new(key.encode("utf-8"), msg.encode("utf-8"),
                                     hashlib.sha256).digest()).decode("ascii")


def nbytes(text):
    return len(text.encode("utf-8"))


def is_str(v):
    return isinstance(v, str) and v != ""


def tg_visible(text):
    """The text Telegram's HTML parse mode shows, or Answer when the markup
    is not well formed (tags it knows, closed in order; &entities)."""
    out = []
    stack = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        off = nbytes(text[:i])
        if c == "<":
            j = text.find(">", i)
            if j < 0:
                raise telegram_err(400, "Bad Request: can't parse entities: Unclosed start tag "
                                   "at byte offset %d" % off)
            inner = text[i + 1:j]
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if not stack:
                    raise telegram_err(400, "Bad Request: can't parse entities: Unexpected end "
                                       "tag at byte offset %d" % off)
                if stack[-1] != name:
                    raise telegram_err(400, "Bad Request: can't parse entities: Unmatched end tag "
                                       "at byte offset %d, expected \"</%s>\", found \"</%s>\""
                                       % (off, stack[-1], name))
                stack.pop()
            else:
                m = re.match(r"([A-Za-z][A-Za-z0-9-]*)(\s[^<]*)?$", inner)
                if not m or m.group(1).lower() not in TG_TAGS:
                    raise telegram_err(400, "Bad Request: can't parse entities: Unsupported start "
                                       "tag \"%s\" at byte offset %d"
                                       % (inner.split(" ")[0], off))
                name = m.group(1).lower()
                if name == "a" and not re.search(r"href\s*=\s*\"[^\"]*\"", inner):
                    raise telegram_err(400, "Bad Request: can't parse entities: Tag \"a\" must "
                                       "have a href attribute at byte offset %d" % off)
                stack.append(name)
            i = j + 1
        elif c == ">":
            raise telegram_err(400, "Bad Request: can't parse entities: Unexpected \">\" at "
                               "byte offset %d" % off)
        elif c == "&":
            m = re.match(r"&(#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|[a-z]+);", text[i:])
            if not m or (m.group(1)[0] != "#" and m.group(1) not in TG_ENTITIES):
                raise telegram_err(400, "Bad Request: can't parse entities: Unsupported HTML "
                                   "entity at byte offset %d" % off)
            ent = m.group(1)
            if ent.startswith("#x"):
                out.append(chr(int(ent[2:], 16) % 0x110000))
            elif ent.startswith("#"):
                out.append(chr(int(ent[1:]) % 0x110000))
            else:
                out.append(TG_ENTITIES[ent])
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    if stack:
        raise telegram_err(400, "Bad Request: can't parse entities: Can't find end tag "
                           "corresponding to start tag \"%s\"" % stack[-1])
    return "".join(out)


class Window:
    """Delivered messages' times (ms) for one sliding-window limit."""

    def __init__(self):
        self.times = []

    def wait(self, now, count, span):
        """0 when one more may go at now, else the ms until it may."""
        self.times = [t for t in self.times if t > now - span]
        if len(self.times) < count:
            return 0
        return self.times[-count] + span - now

    def add(self, now):
        bisect.insort(self.times, now)   # simulated clocks may step back


class Chat:
    """The receiver's state: robots, windows, counters, logs."""

    def __init__(self, args, config):
        self.args = args
        self.config = config
        self.lock = threading.Lock()
        self.requests = 0
        self.accepted = 0
        self.windows = {}        # (platform, robot, chat, limit name) -> Window
        self.blocked = {}        # DingTalk robot -> blocked until (ms)
        self.message_ids = {}    # Telegram chat -> last message_id
        self.taken = []          # the windows the current request counted in
        self.logs = {}
        for name in ("log", "refused", "violations"):
            path = getattr(args, name)
            self.logs[name] = open(path, "a", encoding="utf-8") if path else None

    def write(self, name, entry):
        f = self.logs[name]
        if f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()

    def robot(self, platform, key):
        robots = self.config.get(platform, {})
        if not key or key not in robots:
            return None
        r = dict(robots[key] or {})
        r.setdefault("name", key)
        return r

    def window(self, *key):
        return self.windows.setdefault(key, Window())

    def pace(self, now, platform, robot, limits, chat=""):
        """The first limit (name, wait ms) that one more message would go
        over, or None."""
        worst = None
        for name, count, span in limits:
            w = self.window(platform, robot, chat, name).wait(now, count, span)
            if w > 0 and (worst is None or w > worst[1]):
                worst = (name, w)
        return worst

    def deliver(self, now, platform, robot, limits, chat=""):
        for name, _count, _span in limits:
            self.take(now, (platform, robot, chat, name))

    def take(self, now, key):
        """Counts a delivery in one window (remembered, so that a transient
        failure can take it back)."""
        self.window(*key).add(now)
        self.taken.append(key)

    # ---- the platforms: each returns (status, body, log entry) or raises Answer

    def wecom(self, now, query, body, entry):
        r = self.robot("wecom", query.get("key", ""))
        if not r:
            raise wecom_err(93000, "invalid webhook url, hint: [mock], from ip: 127.0.0.1")
        entry["robot"] = r["name"]
        over = self.pace(now, "wecom", r["name"], LIMITS["wecom"])
        if over:
            raise wecom_err(45009, "api freq out of limit", over[0])
        msg = parse_json(body, lambda: wecom_err(40058, "Warning: wrong json format."))
        kind = msg.get("msgtype")
        entry["msgtype"] = kind
        if kind not in ("text", "markdown", "news"):
            raise wecom_err(40008, "invalid message type")
        part = msg.get(kind)
        if not isinstance(part, dict):
            raise wecom_err(40058, "missing %s" % kind)
        if kind in WECOM_LIMITS:
            content = part.get("content")
            if not isinstance(content, str) or content == "":
                raise wecom_err(44004, "empty content")
            if nbytes(content) > WECOM_LIMITS[kind]:
                raise wecom_err(40058, "%s.content exceed max length %d"
                                % (kind, WECOM_LIMITS[kind]), "%s %d bytes" % (kind, WECOM_LIMITS[kind]))
        else:
            arts = part.get("articles")
            if not isinstance(arts, list) or not 1 <= len(arts) <= 8:
                raise wecom_err(40058, "news.articles must hold 1 to 8 articles",
                                "news 1..8 articles" if isinstance(arts, list) and arts else None)
            for a in arts:
                if not isinstance(a, dict) or not is_str(a.get("title")) or not is_str(a.get("url")):
                    raise wecom_err(40058, "news.articles[].title and url are required")
                if nbytes(a["title"]) > 128 or nbytes(a.get("description") or "") > 512:
                    raise wecom_err(40058, "news article title/description too long",
                                    "news title 128 / description 512 bytes")
        self.deliver(now, "wecom", r["name"], LIMITS["wecom"])
        entry["content"] = part
        return 200, {"errcode": 0, "errmsg": "ok"}

    def dingtalk(self, now, query, body, entry):
        r = self.robot("dingtalk", query.get("access_token", ""))
        if not r:
            raise dingtalk_err(300001, "token is not exist")
        entry["robot"] = r["name"]
        if r.get("secret"):
            ts, sign = query.get("timestamp", ""), query.get("sign", "")
            if not ts.isdigit() or abs(int(ts) - now) > HOUR:
                raise dingtalk_err(310000, "sign not match, more: [invalid timestamp]")
            # parse_qs already URL-decoded the sign once
            if sign != b64_hmac(r["secret"], ts + "\n" + r["secret"]):
                raise dingtalk_err(310000, "sign not match, more: [sign not match]")
        until = self.blocked.get(r["name"], 0)
        if now < until:
            raise dingtalk_err(130101, "send too fast, exceed 20 times per minute",
                               "blocked 10 min after 20/min")
        over = self.pace(now, "dingtalk", r["name"], LIMITS["dingtalk"])
        if over:
            self.blocked[r["name"]] = now + DINGTALK_BLOCK_MS
            raise dingtalk_err(130101, "send too fast, exceed 20 times per minute", over[0])
        msg = parse_json(body, lambda: dingtalk_err(40035, "缺少参数 json"))
        kind = msg.get("msgtype")
        entry["msgtype"] = kind
        need = {"text": ("content",), "markdown": ("title", "text"),
                "link": ("title", "text", "messageUrl"), "actionCard": ("title", "text"),
                "feedCard": ("links",)}
        if kind not in need:
            raise dingtalk_err(40035, "缺少参数 msgtype")
        part = msg.get(kind)
        if not isinstance(part, dict):
            raise dingtalk_err(40035, "缺少参数 %s" % kind)
        for field in need[kind]:
            if field == "links":
                ok = isinstance(part.get("links"), list) and part["links"]
            else:
                ok = is_str(part.get(field))
            if not ok:
                raise dingtalk_err(40035, "缺少参数 %s.%s" % (kind, field))
        if kind == "actionCard" and not (is_str(part.get("singleTitle")) and is_str(part.get("singleURL"))
                                         or isinstance(part.get("btns"), list) and part["btns"]):
            raise dingtalk_err(40035, "缺少参数 actionCard.singleTitle/singleURL or btns")
        text = json.dumps(part, ensure_ascii=False)
        if nbytes(part.get("content") or part.get("text") or "") > DINGTALK_TEXT_MAX:
            raise dingtalk_err(460101, "message too long", "%d bytes" % DINGTALK_TEXT_MAX)
        if r.get("keywords") and not any(k in text for k in r["keywords"]):
            raise dingtalk_err(310000, "keywords not in content")
        self.deliver(now, "dingtalk", r["name"], LIMITS["dingtalk"])
        entry["content"] = part
        return 200, {"errcode": 0, "errmsg": "ok"}

    def feishu(self, now, token, body, entry):
        r = self.robot("feishu", token)
        if not r:
            raise feishu_err(19001, "param invalid: incoming webhook access token invalid")
        entry["robot"] = r["name"]
        if len(body) > FEISHU_BODY_MAX:
            raise feishu_err(9499, "Bad Request", 400, "body 20 KB")
        msg = parse_json(body, lambda: feishu_err(9499, "Bad Request", 400))
        if r.get("secret"):
            ts, sign = str(msg.get("timestamp", "")), msg.get("sign", "")
            if not ts.isdigit() or abs(int(ts) * 1000 - now) > HOUR or \
                    sign != b64_hmac(ts + "\n" + r["secret"], ""):
                raise feishu_err(19021, "sign match fail or timestamp is not within one hour "
                                 "from current time")
        over = self.pace(now, "feishu", r["name"], LIMITS["feishu"])
        if over:
            raise feishu_err(9499, "too many request", 429, over[0])
        kind = msg.get("msg_type")
        entry["msgtype"] = kind
        if kind == "interactive":
            part = msg.get("card")
            if part is None and isinstance(msg.get("content"), dict):
                part = msg["content"].get("card")
            ok = isinstance(part, dict) and part
        elif kind == "text":
            part = msg.get("content")
            ok = isinstance(part, dict) and is_str(part.get("text"))
        elif kind == "post":
            part = msg.get("content")
            post = part.get("post") if isinstance(part, dict) else None
            ok = isinstance(post, dict) and post and all(
                isinstance(v, dict) and isinstance(v.get("content"), list) for v in post.values())
        else:
            ok = False
        if not ok:
            raise feishu_err(9499, "Bad Request", 400)
        if r.get("keywords") and not any(k in json.dumps(part, ensure_ascii=False)
                                         for k in r["keywords"]):
            raise feishu_err(19024, "Key Words Not Found")
        self.deliver(now, "feishu", r["name"], LIMITS["feishu"])
        entry["content"] = part
        return 200, {"code": 0, "msg": "success", "data": {}, "StatusCode": 0,
                     "StatusMessage": "success"}

    def telegram(self, now, token, method, params, entry):
        r = self.robot("telegram", token)
        if not r:
            raise telegram_err(401, "Unauthorized")
        entry["robot"] = r["name"]
        if method not in ("sendMessage", "sendPhoto"):
            raise telegram_err(404, "Not Found")
        entry["msgtype"] = method
        chat = params.get("chat_id")
        chat = str(chat) if isinstance(chat, (str, int)) and not isinstance(chat, bool) else ""
        if chat == "":
            raise telegram_err(400, "Bad Request: chat_id is empty")
        entry["chat"] = chat
        chats = {str(k): v for k, v in (r.get("chats") or {}).items()}
        if chat in [str(k) for k in r.get("kicked") or []]:
            raise telegram_err(403, "Forbidden: bot was kicked from the group chat")
        if chat not in chats:
            raise telegram_err(400, "Bad Request: chat not found")
        group = chats[chat] in ("group", "supergroup", "channel") or \
            (chats[chat] is None and chat.startswith("-"))
        limits = [(TELEGRAM_CHAT, chat), (TELEGRAM_BOT, "")]
        if group:
            limits.append((TELEGRAM_GROUP, chat))
        worst = None
        for (name, count, span), key in limits:
            w = self.window("telegram", r["name"], key, name).wait(now, count, span)
            if w > 0 and (worst is None or w > worst[1]):
                worst = (name, w)
        if worst:
            after = max(1, -(-worst[1] // 1000))
            raise telegram_err(429, "Too Many Requests: retry after %d" % after, after, worst[0])
        mode = params.get("parse_mode") or ""
        if mode not in ("", "HTML", "Markdown", "MarkdownV2"):
            raise telegram_err(400, "Bad Request: unsupported parse_mode")
        if method == "sendMessage":
            text = params.get("text")
            if not is_str(text):
                raise telegram_err(400, "Bad Request: message text is empty")
            shown = tg_visible(text) if mode == "HTML" else text
            if len(shown) > TELEGRAM_TEXT_MAX:
                raise telegram_err(400, "Bad Request: message is too long",
                                   limit="text %d chars" % TELEGRAM_TEXT_MAX)
            part = {"text": text}
        else:
            if not is_str(params.get("photo")):
                raise telegram_err(400, "Bad Request: there is no photo in the request")
            caption = params.get("caption") or ""
            if not isinstance(caption, str):
                raise telegram_err(400, "Bad Request: caption must be a string")
            shown = tg_visible(caption) if mode == "HTML" else caption
            if len(shown) > TELEGRAM_CAPTION_MAX:
                raise telegram_err(400, "Bad Request: message caption is too long",
                                   limit="caption %d chars" % TELEGRAM_CAPTION_MAX)
            part = {"photo": params["photo"], "caption": caption}
        if mode:
            part["parse_mode"] = mode
        for (name, _count, _span), key in limits:
            self.take(now, ("telegram", r["name"], key, name))
        entry["content"] = part
        mid = self.message_ids.get(chat, 0) + 1
        self.message_ids[chat] = mid
        result = {"message_id": mid, "date": now // 1000,
                  "chat": {"id": int(chat) if re.match(r"-?\d+$", chat) else chat,
                           "type": "supergroup" if group else "private"}}
        result.update({k: v for k, v in part.items() if k != "parse_mode"})
        return 200, {"ok": True, "result": result}

    # ---- one request

    def handle(self, peer, path, query, headers, body):
        """(status, body dict, failure kind or None) for one POST from the
        client port peer."""
        sim = headers.get("X-Sim-Time-Ms")
        now = int(sim) if sim and re.match(r"-?\d+$", sim) else int(time.time() * 1000)
        with self.lock:
            self.requests += 1
            self.taken = []
            entry = {"seq": self.requests, "platform": "", "robot": "", "t_ms": now,
                     "peer": peer}
            try:
                status, answer = self.route(now, path, query, headers, body, entry)
            except Answer as a:
                self.write("refused", dict(entry, http=a.status, code=a.code, msg=a.msg))
                if a.limit:
                    self.write("violations", {"seq": entry["seq"], "platform": entry["platform"],
                                              "robot": entry["robot"], "chat": entry.get("chat", ""),
                                              "t_ms": now, "limit": a.limit, "code": a.code})
                return a.status, a.body, None
            fail = self.failure()
            if fail:
                # Undo the delivery: the platform never took the message.
                self.undeliver(entry)
                self.write("refused", dict(entry, http=500 if fail == "500" else 0, code=fail,
                                           msg="transient failure", transient=True,
                                           content=entry.get("content")))
                return 500, failure_body(entry["platform"]), fail
            self.write("log", entry)
            return status, answer, None

    def route(self, now, path, query, headers, body, entry):
        if path == "/cgi-bin/webhook/send":
            entry["platform"] = "wecom"
            return self.wecom(now, query, body, entry)
        if path == "/robot/send":
            entry["platform"] = "dingtalk"
            return self.dingtalk(now, query, body, entry)
        m = re.match(r"/open-apis/bot/v2/hook/([^/]+)$", path)
        if m:
            entry["platform"] = "feishu"
            return self.feishu(now, urllib.parse.unquote(m.group(1)), body, entry)
        m = re.match(r"/bot([^/]+)/([A-Za-z]+)$", path)
        if m:
            entry["platform"] = "telegram"
            return self.telegram(now, urllib.parse.unquote(m.group(1)), m.group(2),
                                 telegram_params(query, headers, body), entry)
        raise Answer(404, {"error": "not found"}, 404, "not found")

    def undeliver(self, entry):
        """Takes back the window entries delivery added (a transient failure)."""
        for key in self.taken:
            self.windows[key].times.remove(entry["t_ms"])
        if entry["platform"] == "telegram":
            chat = entry.get("chat", "")
            self.message_ids[chat] = self.message_ids.get(chat, 1) - 1

    def failure(self):
        """With --fail-every N: every Nth deliverable request fails, in turn
        "500", "reset" and "delay"."""
        n = self.args.fail_every
        self.accepted += 1
        if not n or self.accepted % n:
            return None
        kinds = self.args.fail_kinds.split(",")
        return kinds[(self.accepted // n - 1) % len(kinds)]


def failure_body(platform):
    return {"wecom": {"errcode": -1, "errmsg": "system error"},
            "dingtalk": {"errcode": -1, "errmsg": "系统繁忙"},
            "feishu": {"code": 9499, "msg": "internal error", "data": {}},
            "telegram": {"ok": False, "error_code": 500, "description": "Internal Server Error"},
            }.get(platform, {})


def parse_json(body, refuse):
    try:
        msg = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise refuse()
    if not isinstance(msg, dict):
        raise refuse()
    return msg


def telegram_params(query, headers, body):
    """Telegram takes its parameters as JSON, a form or the query string."""
    params = dict(query)
    ctype = headers.get("Content-Type", "")
    if body and "json" in ctype:
        try:
            p = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise telegram_err(400, "Bad Request: can't parse JSON object")
        if not isinstance(p, dict):
            raise telegram_err(400, "Bad Request: can't parse JSON object")
        params.update(p)
    elif body:
        params.update({k: v[0] for k, v in urllib.parse.parse_qs(
            body.decode("utf-8", "replace"), keep_blank_values=True).items()})
    return params


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "mock-chat"
    protocol_version = "HTTP/1.1"   # keep-alive, as the platforms do

    def log_message(self, fmt, *args):  # keep test output clean
        pass

    def reply(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def reset(self):
        """Starts an answer and cuts the connection with a reset, so that a
        client sees a broken answer (not an idle connection it may retry)."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"errc")
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def do_GET(self):
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        state = self.server.state
        path, _, qs = self.path.partition("?")
        query = {k: v[0] for k, v in urllib.parse.parse_qs(qs, keep_blank_values=True).items()}
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= 1 << 20:
            self.close_connection = True
            self.reply(413, {"error": "body too large"})
            return
        body = self.rfile.read(length)
        status, answer, fail = state.handle(self.client_address[1], path, query,
                                           self.headers, body)
        if fail == "reset":
            self.reset()
        elif fail == "delay":
            time.sleep(3)
            self.reset()
        else:
            self.reply(status, answer)
        if state.requests >= state.args.max_requests:
            threading.Thread(target=self.server.shutdown, daemon=True).start()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that goes away mid-request, or a reset of our own, is expected.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def fail_kinds(v):
    """--fail-kinds: a comma list of 500, reset, delay."""
    if not v or not set(v.split(",")) <= {"500", "reset", "delay"}:
        raise argparse.ArgumentTypeError("must be a comma list of 500, reset, delay")
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True, help="the robots it knows (JSON)")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", help="delivered messages (JSONL)")
    ap.add_argument("--refused", help="refused and failed requests (JSONL)")
    ap.add_argument("--violations", help="requests over a rate or content limit (JSONL)")
    ap.add_argument("--fail-every", type=int, default=0)
    ap.add_argument("--fail-kinds", default="500,reset,delay", type=fail_kinds)
    ap.add_argument("--max-requests", type=int, default=200000,
                    help="stop serving after this many requests (a bound for tests)")
    args = ap.parse_args()
    with open(args.config, encoding="utf-8") as f:
        config = json.load(f)
    for name in ("log", "refused", "violations"):
        if getattr(args, name):
            open(getattr(args, name), "a").close()
    server = Server(("127.0.0.1", 0), Handler)
    server.state = Chat(args, config)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
