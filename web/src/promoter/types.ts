// The shapes of the API answers this page reads (see GET /api/v1/openapi.json).
// Money is integer fen everywhere.

export interface Member {
  id: string;
  parent: string | null;
  level: string;
  name: string;
  depth: number;
  direct_count: number;
  team_count: number;
  invite_code: string;
  created_at: string | null;
}

export interface Me {
  kind: 'member' | 'operator';
  member?: Member;
  expires_at?: string | null;
}

export interface Session {
  token: string;
  member: string;
  expires_at: string | null;
  token_type: string;
}

export interface Product {
  union: string;
  product: string;
  title: string;
  category: string | null;
  brand: string | null;
  shop: string | null;
  price: number;
  coupon: number;
  coupon_valid: boolean;
  coupon_end?: string | null;
  final_price: number;
  commission_bps: number;
  commission: number;
  sales: number;
  image: string | null;
  url: string | null;
}

export interface Reason {
  code: string;
  text: string;
}

export interface TopItem {
  product: Product;
  score: { points: string; reasons: Reason[] };
}

export interface TopPage {
  items: TopItem[];
}

export interface SearchPage {
  page: number;
  per_page: number;
  total: number;
  items: Product[];
}

export interface CopyText {
  channel: string;
  text: string;
  title_cut: boolean;
  length: number;
}

export interface Balance {
  member: string;
  pending: number;
  frozen: number;
  available: number;
  withdrawing: number;
  paid: number;
}

export interface LedgerEntry {
  id: number;
  at: string | null;
  type: string;
  amount: number;
  change: number;
  from: string;
  to: string;
  item?: { union: string; item: string } | null;
  withdrawal?: number;
}

export interface LedgerPage {
  entries: LedgerEntry[];
  next: string | null;
}

export interface Summary {
  from: string;
  to: string;
  totals: {
    orders: number;
    gmv: number;
    commission: number;
    members_share: number;
    settled_orders: number;
    clicks: number;
    unique_clicks: number;
  };
}

export interface MonthFigures {
  month: string;
  own_gmv: number;
  own_commission: number;
  team_gmv: number;
  team_commission: number;
}

export interface TeamStats {
  id: string;
  level: string;
  direct_count: number;
  team_count: number;
  this_month: MonthFigures;
  last_month: MonthFigures;
  levels: Array<{ level: string; direct: number; team: number }>;
}

export interface TeamPage {
  members: Member[];
  next: string | null;
}

export interface Withdrawal {
  id: number;
  member: string;
  amount: number;
  fee: number;
  net: number;
  method: string;
  account: string;
  status: string;
  requested_at: string | null;
  decided_at: string | null;
  paid_at: string | null;
}

export interface WithdrawalPage {
  withdrawals: Withdrawal[];
  next: string | null;
}
