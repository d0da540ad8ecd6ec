#!/usr/bin/env python3
"""A random sequence of operations for multiprocess.sh, from a seed.

Members added under existing members, level changes, moves, JD tags, links
made and revoked, plan versions, normalized order rows (buyers shared
between rows with different paid times, so that bindings form and move;
members, link codes and nothing named; later states of earlier items) and
JD order rows (subUnionId tags; later states).  Each operation also names
the process kind run A applies it through, chosen at random: the command
line (for members also `member import` and `member register`), the
running server's API, a one-off `tuike sync` or the running `tuike sync
--every` (the last two for JD rows only: they are put in the mock union's
data).  Run B applies every operation through the command
line.

    multiprocess_ops.py --seed N --ops N --now UNIX --out DIR [--every-max N]

DIR/ops.tsv: one operation a line, tab-separated: index, kind, how run A
applies it, then the kind's arguments ("-" for none):
    member ID PARENT LEVEL     level ID LEVEL        move ID TO (- the root)
    tag MEMBER UNION KIND VALUE                      link N MEMBER URL CHANNEL
    revoke N    plan    orders    jd    settle    reattribute
Files by index: I.plan.json; I.jsonl (normalized rows, link codes written
@L<N>@: link N of the run); I.jd.json (a JD reply), I.mock.json (the mock
union's whole data after the step, for sync) and I.wait (item and the
modified_at the step leaves it at, a line each).
"""
import argparse
import datetime
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "feeds"))
import make_fixtures as fx  # noqa: E402  (the JD row with every documented field)

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
LEVELS = ["member", "super", "mentor", "partner"]
BUYERS = ["b1", "b2", "b3", "b4"]
SUBS = ["s1", "s2", "s3", "s4", "s5", "s6"]  # JD subUnionIds, some never registered
MAX_MEMBERS = 16
MAX_LINKS = 10
MAX_PLANS = 6
MAX_REGISTERS = 4  # the server lets 10 sign-ups a minute through
DAY = 86400
HOUR = 3600


def iso(t):
    return datetime.datetime.fromtimestamp(t, BEIJING).isoformat()


def beijing(t):
    return datetime.datetime.fromtimestamp(t, BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def day_number(t):
    """JD's payMonth: the Beijing day yyyyMMdd of t."""
    return int(datetime.datetime.fromtimestamp(t, BEIJING).strftime("%Y%m%d"))


def plan_variants():
    """Valid plans that differ in rates, tiers and mode; the level keys
    stay, so that every member's level means something in each."""
    def levels(rates, upgrades=None):
        out = [{"key": k, "name": k, "rate_bps": r, "can_share": k != "member"}
               for k, r in zip(LEVELS, rates)]
        for level, rule in zip(out[1:], upgrades or []):
            level["upgrade"] = rule
        return out
    # levels earned by sales and by the team: evaluated by whichever
    # process commits the change, from its tree
    growth = [
        {"match": "any", "conditions": [{"kind": "own_gmv", "days": 30, "min": 60000},
                                        {"kind": "direct_invites", "min": 2}]},
        {"conditions": [{"kind": "team_size", "min": 3},
                        {"kind": "direct_at_level", "level": "super", "min": 1}]},
        {"conditions": [{"kind": "team_gmv", "days": 30, "min": 400000}]},
    ]
    base = {"name": "default", "mode": "differential", "max_tiers": 3,
            "platform_min_bps": 1000, "peer_bonus_bps": 500, "tiers_bps": [1000, 500],
            "hold_days": 7, "default_level": "member", "withdraw_min": 100,
            "withdraw_fee_bps": 100}
    return [
        dict(base, name="lean", peer_bonus_bps=300, levels=levels([2500, 4500, 6500, 8000])),
        dict(base, name="rich", levels=levels([3000, 5500, 7000, 8500])),
        dict(base, name="two-tiers", max_tiers=2, levels=levels([2000, 5000, 6000, 7000])),
        dict(base, name="fixed", mode="fixed", levels=levels([2000, 4000, 6000, 7500])),
        dict(base, name="short-hold", hold_days=3, peer_bonus_bps=0,
             levels=levels([3000, 5000, 7000, 8000])),
        dict(base, name="growth", levels=levels([3000, 5000, 7000, 8000], growth)),
        dict(base, name="growth-fixed", mode="fixed",
             levels=levels([2000, 4000, 6000, 7500], growth)),
    ]


class Gen:
    def __init__(self, a):
        self.r = random.Random(a.seed)
        self.now = a.now
        self.out = a.out
        self.every_left = a.every_max
        self.parent = {}  # member -> parent or None
        self.level = {}
        self.order = []  # members in the order they were added
        self.links = []  # [member, revoked]
        self.tags = {}  # subUnionId -> member
        self.items = {}  # normalized items: key -> row
        self.jd = {}  # JD items: key -> state
        self.mock = {}  # JD rows the mock union holds (run A's sync)
        self.n_items = 0
        self.n_plans = 1
        self.registers = 0
        self.lines = []
        self.i = 0

    # ---- helpers ----

    def pick(self, weights):
        """A key of `weights` (name -> weight) at random."""
        total = sum(weights.values())
        x = self.r.uniform(0, total)
        for k, w in weights.items():
            x -= w
            if x <= 0:
                return k
        return k

    def modified(self, k):
        """Row k of this step's modification time: later steps are later,
        all within the last hour before now (the sync window)."""
        return self.now - 3500 + self.i * 5 + k

    def file(self, ext, text):
        with open(os.path.join(self.out, "%03d.%s" % (self.i, ext)), "w", encoding="utf-8") as f:
            f.write(text)

    def emit(self, kind, via, *args):
        self.lines.append("\t".join(["%03d" % self.i, kind, via] +
                                    [str(x) if x not in (None, "") else "-" for x in args]))

    def via(self, api=0.55):
        return "api" if self.r.random() < api else "cli"

    def subtree(self, m):
        seen = {m}
        changed = True
        while changed:
            changed = False
            for x, p in self.parent.items():
                if p in seen and x not in seen:
                    seen.add(x)
                    changed = True
        return seen

    def member_or_future(self):
        """A member, now and then one not added yet."""
        if self.r.random() < 0.2 or not self.order:
            return "m%d" % (len(self.order) + 1 + self.r.randrange(3))
        return self.r.choice(self.order)

    # ---- operations ----

    def op_member(self):
        m = "m%d" % (len(self.order) + 1)
        parent = self.r.choice(self.order) if self.order and self.r.random() < 0.75 else None
        level = self.r.choice(LEVELS) if self.r.random() < 0.6 else None
        self.parent[m] = parent
        self.level[m] = level or "member"
        self.order.append(m)
        r = self.r.random()
        via = "api" if r < 0.4 else "import" if r < 0.55 else "cli" if r < 0.85 else "register"
        if via == "register" and (not parent or level or self.registers >= MAX_REGISTERS):
            via = "cli"  # registration: under an inviter, at the default level
        self.registers += via == "register"
        self.emit("member", via, m, parent, level)

    def op_level(self):
        m = self.r.choice(self.order)
        level = self.r.choice([x for x in LEVELS if x != self.level[m]])
        self.level[m] = level
        self.emit("level", self.via(), m, level)

    def op_move(self):
        movable = list(self.order)
        self.r.shuffle(movable)
        for m in movable:
            team = self.subtree(m)
            to = [t for t in self.order if t not in team and t != self.parent[m]]
            if self.parent[m] and self.r.random() < 0.15:
                to = [None]  # to the root
            if to:
                t = self.r.choice(to)
                self.parent[m] = t
                self.emit("move", "cli", m, t)
                return True
        return False

    def op_tag(self):
        v = self.r.choice(SUBS[:5])  # s6 stays unregistered
        m = self.r.choice(self.order)
        self.tags[v] = m
        self.emit("tag", self.via(), m, "jd", "subUnionId", v)

    def op_link(self):
        m = self.r.choice(self.order)
        n = len(self.links)
        self.links.append([m, False])
        channel = "wx-%d" % self.r.randrange(5) if self.r.random() < 0.5 else None
        self.emit("link", self.via(), n, m, "https://item.jd.com/%d.html" % (100 + n), channel)

    def op_revoke(self):
        live = [n for n, (m, revoked) in enumerate(self.links) if not revoked]
        if not live:
            return False
        n = self.r.choice(live)
        self.links[n][1] = True
        self.emit("revoke", self.via(), n)
        return True

    def op_plan(self):
        plan = self.r.choice(plan_variants())
        self.n_plans += 1
        self.file("plan.json", json.dumps(plan) + "\n")
        self.emit("plan", self.via())

    def settled_at(self, paid):
        """A settlement 2 to 10 days after payment, on a half hour: its hold
        (any plan's: whole days) never ends within half an hour of now,
        so a settlement run a minute later releases the same money."""
        t = paid + 2 * DAY + self.r.randrange(8 * DAY)
        return self.now - HOUR // 2 - HOUR * ((self.now - HOUR // 2 - t) // HOUR)

    def later_status(self, status):
        """A state an item may go on to from `status`, or None."""
        return {"unpaid": ["paid", "invalid"], "paid": ["received", "settled", "invalid"],
                "received": ["settled", "invalid"], "settled": ["invalid", "settled"]
                }.get(status)

    def new_row(self, k):
        self.n_items += 1
        key = "N%d-1" % self.n_items
        paid = self.now - 19 * DAY + self.r.randrange(14 * DAY)
        row = {"union": self.r.choice(["jd", "taobao"]), "item": key, "order": key[:-2],
               "status": self.pick({"paid": 75, "unpaid": 5, "received": 10, "settled": 10}),
               "modified_at": iso(self.modified(k)), "paid_at": iso(paid),
               "settled_at": None, "amount": 0, "commission": 100 + self.r.randrange(4900),
               "quantity": 1, "product": "p%d" % self.r.randrange(4), "title": "t",
               "buyer": None, "member": None, "link": None}
        row["amount"] = row["commission"] * 10
        who = self.pick({"shared": 45, "member": 15, "none": 40})
        if who == "shared":
            row["buyer"] = self.r.choice(BUYERS)
        elif who == "member":
            row["buyer"] = self.member_or_future()
        how = self.pick({"member": 35, "link": 30, "none": 35})
        if how == "member":
            row["member"] = self.member_or_future()
        elif how == "link" and self.links and self.r.random() < 0.85:
            row["link"] = "@L%d@" % self.r.randrange(len(self.links))
        elif how == "link":
            row["link"] = "NOSUCH%d" % self.r.randrange(9)
        if row["status"] == "settled":
            row["settled_at"] = iso(self.settled_at(paid))
        self.items[key] = row
        return row

    def later_row(self, key, k):
        row = dict(self.items[key])
        status = self.r.choice(self.later_status(row["status"]))
        row["status"] = status
        row["modified_at"] = iso(self.modified(k))
        if status == "settled":
            paid = datetime.datetime.fromisoformat(row["paid_at"]).timestamp()
            if not row["settled_at"]:
                row["settled_at"] = iso(self.settled_at(int(paid)))
            row["commission"] = max(0, row["commission"] - self.r.randrange(60))
        self.items[key] = row
        return row

    def op_orders(self):
        rows = []
        for k in range(1 + self.r.randrange(4)):
            later = [key for key, row in self.items.items() if self.later_status(row["status"])]
            if later and self.r.random() < 0.4:
                rows.append(self.later_row(self.r.choice(later), k))
            else:
                rows.append(self.new_row(k))
        self.file("jsonl", "".join(json.dumps(r) + "\n" for r in rows))
        self.emit("orders", self.via())

    def jd_state(self, key, st, k):
        """The JD row of item `key` in state `st` (a dict of its fields)."""
        kw = dict(orderId=st["order"], orderTime=beijing(st["paid"]), subUnionId=st["sub"],
                  estimateFee=st["fee"] / 100, estimateCosPrice=st["fee"] / 10,
                  skuId=st["sku"])
        code = {"unpaid": 15, "paid": 16, "received": 17, "settled": 17, "invalid": 3}
        if st["status"] == "settled":
            kw.update(payMonth=st["pay_month"], actualFee=st["actual"] / 100,
                      actualCosPrice=st["fee"] / 10,
                      balanceExt="{%d:%s}" % (st["pay_month"], "%.2f" % (st["actual"] / 100)))
        return fx.jd_row(key, code[st["status"]], beijing(self.modified(k)), **kw)

    def op_jd(self):
        r = self.r.random()
        via = "cli" if r < 0.25 else "api" if r < 0.55 else "sync" if r < 0.8 else "every"
        if via == "every":
            if self.every_left <= 0:
                via = "sync"
            else:
                self.every_left -= 1
        rows, wait, seen = [], [], set()
        for k in range(1 + self.r.randrange(3)):
            later = [key for key, st in self.jd.items()
                     if st["status"] in ("unpaid", "paid", "received") and key not in seen]
            if later and self.r.random() < 0.4:
                key = self.r.choice(later)
                st = self.jd[key]
                st["status"] = self.r.choice({"unpaid": ["paid", "invalid"],
                                              "paid": ["received", "settled", "invalid"],
                                              "received": ["settled", "invalid"]}[st["status"]])
                if st["status"] == "settled":
                    # released by now, or held past now whatever the plan
                    st["pay_month"] = day_number(self.now - self.r.choice([15, 5]) * DAY)
                    st["actual"] = max(0, st["fee"] - self.r.randrange(50))
            else:
                self.n_items += 1
                key = "J%d" % self.n_items
                st = {"order": 100000 + self.n_items, "sku": 200 + self.r.randrange(4),
                      "paid": self.now - 19 * DAY + self.r.randrange(14 * DAY),
                      "sub": self.r.choice(SUBS + [""]), "fee": 100 + self.r.randrange(4900),
                      "status": self.pick({"paid": 85, "unpaid": 5, "received": 10})}
                self.jd[key] = st
            seen.add(key)
            row = self.jd_state(key, st, k)
            rows.append(row)
            wait.append("%s %s" % (key, iso(self.modified(k))))
            if via in ("sync", "every"):
                self.mock[key] = row  # the union answers with its newest state
        self.file("jd.json", fx.compact(fx.jd_body(rows)) + "\n")
        self.file("wait", "\n".join(wait) + "\n")
        if via in ("sync", "every"):
            self.file("mock.json", json.dumps(self.mock_data(), ensure_ascii=False))
        self.emit("jd", via)

    def mock_data(self):
        return {"jd": list(self.mock.values()), "keys": {"jd": ["jd-key", "jd-secret"]}}

    def step(self):
        if len(self.order) < 3:
            return self.op_member()
        w = {"member": 12 if len(self.order) < MAX_MEMBERS else 0, "level": 8, "move": 5,
             "tag": 8, "link": 6 if len(self.links) < MAX_LINKS else 0, "revoke": 3,
             "plan": 4 if self.n_plans < MAX_PLANS else 0, "orders": 25, "jd": 15,
             "settle": 4, "reattribute": 4}
        while True:
            kind = self.pick(w)
            if kind in ("settle", "reattribute"):
                return self.emit(kind, self.via())
            if getattr(self, "op_" + kind)() is not False:
                return
            w[kind] = 0

    def run(self, n):
        for self.i in range(n):
            self.step()
        with open(os.path.join(self.out, "ops.tsv"), "w", encoding="utf-8") as f:
            f.write("\n".join(self.lines) + "\n")
        with open(os.path.join(self.out, "mock.json"), "w", encoding="utf-8") as f:
            json.dump({"jd": [], "keys": {"jd": ["jd-key", "jd-secret"]}}, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--ops", type=int, default=60)
    ap.add_argument("--now", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--every-max", type=int, default=4)
    ap.add_argument("--plans", action="store_true",
                    help="write every plan variant as plan-N.json and stop (to check them)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.plans:
        for n, p in enumerate(plan_variants()):
            with open(os.path.join(a.out, "plan-%d.json" % n), "w", encoding="utf-8") as f:
                json.dump(p, f)
        return
    Gen(a).run(a.ops)


if __name__ == "__main__":
    main()
