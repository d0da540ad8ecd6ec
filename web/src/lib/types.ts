// The API's answers, as the pages read them (see docs/api.md and /api/v1/openapi.json).

export interface Me {
  kind: 'operator' | 'member';
  key?: string; // an operator key's name
  role?: string; // an operator: admin, finance, operations or viewer
  session?: boolean; // an operator: an operator session rather than the key
  member?: Member; // a member session's member
  expires_at?: string | null;
  taobao_authorize?: string[]; // a member: the Taobao tags it can register by authorizing
  levels?: LevelName[]; // a member: the active plan's levels, to say a level in the reader's language
}

// A level's names: `name` as the plan gives it, `names` by locale.
export interface LevelName {
  key: string;
  name?: string;
  names?: Partial<Record<'zh-CN' | 'en', string>>;
}

// A level's name in the reader's language: names[locale], else name, else the key.
export function levelWords(l: LevelName | undefined, key: string, lang: 'zh' | 'en'): string {
  return l?.names?.[lang === 'zh' ? 'zh-CN' : 'en'] || l?.name || key;
}

export interface Stats {
  orders: number;
  gmv: number;
  commission: number;
  /** operators only: a member's reports leave the shares out */
  members_share?: number;
  platform_share?: number;
  settled_orders: number;
  settled_commission: number;
  invalid_orders: number;
  new_members: number;
  clicks: number;
  unique_clicks: number;
  /** of orders, those attributed through a tracked link */
  link_orders: number;
}

/** The links' conversion: their orders over their unique clicks; the orders
 * attributed otherwise (tag, binding, self-purchase, none) counted apart. */
export interface Conversion {
  link_orders: number;
  unique_clicks: number;
  link_order_per_unique_click_bps: number;
  other_orders: number;
  other_share_bps: number;
}

export interface Summary {
  from: string;
  to: string;
  scope: string;
  totals: Stats;
  conversion: Conversion;
  /** the period of the same length right before */
  previous: { from: string; to: string; totals: Stats; conversion: Conversion };
}

export interface DayStats extends Stats {
  date: string;
}

export interface Daily {
  from: string;
  to: string;
  days: DayStats[];
  totals: Stats;
}

export interface Funnel {
  from: string;
  to: string;
  conversion: Conversion;
  funnel: {
    clicks: number;
    unique_clicks: number;
    orders: number;
    settled_orders: number;
    invalid_orders: number;
    settled_commission: number;
    order_per_unique_click_bps: number;
    settled_per_order_bps: number;
  };
}

export interface KeyStats extends Stats {
  key: string;
  label?: string; // top lists: a member's name, a product's title
}

export interface Top {
  from: string;
  to: string;
  by: string;
  metric: string;
  items: KeyStats[];
}

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

export interface MemberSearch {
  query: string;
  members: Member[];
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

export interface MemberPath {
  member: string;
  path: Member[];
}

export interface TeamPage {
  member: string;
  direct_count: number;
  team_count: number;
  members: Member[];
  next: string | null;
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
  item?: { union: string; item: string };
  withdrawal?: number;
}

export interface LedgerPage {
  member: string;
  entries: LedgerEntry[];
  next: string | null;
}

export interface Level {
  key: string;
  name?: string;
  names?: Partial<Record<'zh-CN' | 'en', string>>; // by locale, optional
  rate_bps: number;
  can_share?: boolean;
  upgrade?: unknown;
  [more: string]: unknown;
}

export interface Plan {
  name: string;
  mode: 'differential' | 'fixed' | string;
  max_tiers: number;
  platform_min_bps?: number;
  peer_bonus_bps?: number;
  tiers_bps?: number[];
  hold_days?: number;
  default_level?: string;
  withdraw_min?: number;
  withdraw_fee_bps?: number;
  levels: Level[];
  version: number;
  max_payout_bps: number;
  [more: string]: unknown;
}

export interface SplitLine {
  tier: number;
  member?: string;
  level: string;
  role: string;
  rate_bps: number;
  amount: number;
  state?: string;
}

export interface Simulation {
  lines: SplitLine[];
  platform: number;
  plan_version: number;
  commission: number;
  self_purchase: boolean;
}

export interface ItemEvent {
  status: string;
  commission: number;
  modified_at: string | null;
  applied_at: string | null;
}

export interface Item {
  union: string;
  item: string;
  order?: string;
  status: string;
  amount?: number;
  commission: number;
  refunded?: number;
  quantity?: number;
  product?: string;
  title?: string;
  buyer?: string;
  link?: string;
  channel?: string;
  plan_version?: number;
  attribution?: string;
  self_purchase?: boolean;
  platform_share?: number;
  splits: SplitLine[];
  events?: ItemEvent[];
  paid_at?: string | null;
  settled_at?: string | null;
  available_at?: string | null;
  modified_at?: string | null;
}

export interface OrderItems {
  order: string;
  items: Item[];
}

export interface Withdrawal {
  id: number;
  member: string;
  amount: number;
  fee: number;
  net: number;
  available_before: number;
  method: string;
  account: string;
  status: string;
  requested_at: string | null;
  decided_at: string | null;
  paid_at: string | null;
  /** the member's available balance now, fen (negative while it owes a clawback) */
  available: number;
  /** 'member_in_debt' while open and the member owes: it can be rejected, not approved or paid */
  blocked: string | null;
}

export interface WithdrawalPage {
  withdrawals: Withdrawal[];
  next: string | null;
}

export interface Product {
  union: string;
  product: string;
  title: string;
  category?: string;
  brand?: string;
  shop?: string;
  price: number;
  coupon: number;
  coupon_min?: number;
  coupon_start?: string | null;
  coupon_end?: string | null;
  coupon_valid: boolean;
  final_price: number;
  commission_bps: number;
  commission: number;
  sales: number;
  image?: string;
  url?: string;
  first_seen_at?: string | null;
  updated_at?: string | null;
}

export interface Score {
  total: number;
  points: string;
  reasons: Array<{ code: string; text: string; params?: Record<string, string | number> }>;
  [more: string]: unknown;
}

export interface PricePoint {
  at: string;
  final_price: number;
  price: number;
  coupon: number;
}

export interface PriceHistory {
  current: number;
  lowest: number;
  highest: number;
  window_days?: number;
  window_low?: number;
  window_high?: number;
  tracked_since?: string | null;
  tracked_days?: number;
  current_since?: string | null;
  at_lowest?: boolean;
  never_this_low_before?: boolean;
  changes?: number;
  points?: PricePoint[];
}

export interface Substitute extends Product {
  similarity: number;
  earn_more: number;
  cheaper_by: number;
}

export interface ProductDetail {
  product: Product;
  score?: Score;
  history?: PriceHistory;
  substitutes?: Substitute[];
}

export interface ProductSearch {
  query: string;
  sort: string;
  page: number;
  per_page: number;
  total: number;
  total_exact?: boolean;
  items: Product[];
}

export interface ProductTop {
  items: Array<{ product: Product; score: Score; history?: PriceHistory; rank: number }>;
}

export interface CopyText {
  text: string;
  title_cut?: boolean;
  length?: number;
  link?: LinkDoc; // with link=1: the tracking link {link} is made from
  tpwd?: string; // with link=1, a Taobao conversion: the 淘口令 alone
}

// A tracking link (GET /links/{code}); converted: its target is the
// union's own promotion link, until expires_at; demo: made offline.
export interface LinkDoc {
  code: string;
  short_url: string;
  member: string;
  target: string;
  created_at: string | null;
  clicks: number;
  unique_clicks: number;
  bot_clicks: number;
  product?: { union: string; id: string };
  channel?: string;
  revoked_at?: string;
  converted?: boolean;
  expires_at?: string;
  demo?: boolean;
}
