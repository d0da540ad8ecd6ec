// The orders list's rows (GET /api/v1/order-items), shared by the console's
// orders page and the promoter's 我的订单, and what a pasted text names: a
// product page of JD, Taobao/Tmall or PDD, "union:id", or a bare number
// that may be an order, an item or a product (the server tells which).

export interface OrderItemRow {
  union: string;
  item: string;
  order: string;
  product: string;
  title: string;
  paid_at: string | null;
  status: string;
  amount: number;
  commission: number;
  commission_kind: 'estimated' | 'actual';
  member: string | null;
  attribution: string;
  group: number | null;
  channel: string;
  share: number; // fen: the sharer's (operators), the caller's own (a member)
}

export interface OrderItemPage {
  items: OrderItemRow[];
  next: string | null;
  from?: string;
  to?: string;
}

export type Pasted =
  | { kind: 'product'; union: string; id: string }
  | { kind: 'number'; text: string } // an order, an item or a product id: to ask
  | { kind: 'unknown-url'; text: string };

const UNIONS = ['jd', 'taobao', 'pdd', 'own'];

// What the pasted text names, without asking the server.
export function recognise(raw: string): Pasted {
  const text = raw.trim();
  const prefixed = /^(jd|taobao|pdd|own)\s*[:：]\s*(\S+)$/i.exec(text);
  if (prefixed) return { kind: 'product', union: prefixed[1].toLowerCase(), id: prefixed[2] };
  // a link inside a shared text (淘口令 messages carry one among words)
  const urlMatch = /https?:\/\/[^\s"'<>，。]+/i.exec(text);
  if (!urlMatch) return { kind: 'number', text };
  let url: URL;
  try {
    url = new URL(urlMatch[0]);
  } catch {
    return { kind: 'unknown-url', text };
  }
  const host = url.hostname.toLowerCase();
  const param = (...names: string[]) => {
    for (const n of names) {
      const v = url.searchParams.get(n);
      if (v && /^\d+$/.test(v)) return v;
    }
    return null;
  };
  if (/(^|\.)jd\.(com|hk)$/.test(host)) {
    const path = /\/(?:product\/)?(\d+)\.html/.exec(url.pathname);
    const id = path ? path[1] : param('sku', 'skuId', 'wareId');
    if (id) return { kind: 'product', union: 'jd', id };
  }
  if (/(^|\.)(taobao|tmall)\.com$/.test(host)) {
    const id = param('id', 'itemId', 'item_id');
    if (id) return { kind: 'product', union: 'taobao', id };
  }
  if (/(^|\.)(yangkeduo|pinduoduo)\.com$/.test(host)) {
    const id = param('goods_id', 'goodsId');
    if (id) return { kind: 'product', union: 'pdd', id };
  }
  return { kind: 'unknown-url', text };
}

export function isUnion(u: string): boolean {
  return UNIONS.includes(u);
}
