// A product score's reasons in the reader's language: each reason's code
// and params (money in fen, rates in bps, days, counts) through t(); the
// server's English text only for a code this page has no words for.
import { bps, count, yuan } from './format';
import { addMessages, tOr } from './i18n';

export interface Reason {
  code: string;
  text: string;
  params?: Record<string, string | number>;
}

addMessages(
  {
    'rs.commission': '每件佣金 {earn_fen}（{price_fen} 的 {rate_bps}）',
    'rs.new_price': '价格 {price_fen}，暂无价格记录',
    'rs.steady_price': '{price_fen} 连续 {days} 天未变',
    'rs.lowest_window': '{days} 天内最低价',
    'rs.lowest_tracked': '开始跟踪 {days} 天以来的最低价',
    'rs.above_low': '比 {days} 天内最低价 {low_fen} 高 {above_bps}',
    'rs.rare_price': '{days} 天来首次这么低',
    'rs.rare_price.never': '从未这么低（已跟踪 {days} 天）',
    'rs.sales': '日销 {per_day} 件（30 天 {sold} 件）',
    'rs.slow_sales': '30 天仅售 {sold} 件',
    'rs.coupon': '优惠券减 {coupon_fen}',
    'rs.coupon.hours': '优惠券减 {coupon_fen}，{hours} 小时后结束',
    'rs.coupon.until': '优惠券减 {coupon_fen}，有效至 {until}',
    'rs.no_coupon': '无优惠券',
    'rs.no_coupon.expired': '优惠券当前不可用',
    'rs.conversion': '团队转化率 {conversion_bps}（{clicks} 次点击 {orders} 单）',
    'rs.refunds': '团队退款率 {refund_bps}（{orders} 单中退款 {refunds} 单）',
    'rs.refunds_high': '团队退款率偏高：{refund_bps}（{orders} 单中退款 {refunds} 单）',
    'rs.category_refunds': '团队暂无订单；类目退款率 {refund_bps}',
  },
  {
    'rs.commission': 'Commission {earn_fen} per unit ({rate_bps} of {price_fen})',
    'rs.new_price': 'Price {price_fen}, no history yet',
    'rs.steady_price': 'Price {price_fen} unchanged for {days} days',
    'rs.lowest_window': 'Lowest price in {days} days',
    'rs.lowest_tracked': 'Lowest price since tracking began {days} days ago',
    'rs.above_low': 'Price {above_bps} above its {days}-day low of {low_fen}',
    'rs.rare_price': 'First time this low in {days} days',
    'rs.rare_price.never': 'Never this low before ({days} days tracked)',
    'rs.sales': 'Sells {per_day} a day ({sold} in 30 days)',
    'rs.slow_sales': 'Only {sold} sold in 30 days',
    'rs.coupon': 'Coupon {coupon_fen} off',
    'rs.coupon.hours': 'Coupon {coupon_fen} off, ends in {hours} hours',
    'rs.coupon.until': 'Coupon {coupon_fen} off until {until}',
    'rs.no_coupon': 'No coupon',
    'rs.no_coupon.expired': 'Coupon not valid now',
    'rs.conversion': 'Team conversion {conversion_bps} ({orders} orders / {clicks} clicks)',
    'rs.refunds': 'Team refund rate {refund_bps} ({refunds} of {orders} orders)',
    'rs.refunds_high': 'High team refund rate {refund_bps} ({refunds} of {orders} orders)',
    'rs.category_refunds': 'No team orders yet; category refund rate {refund_bps}',
  },
);

// The variant of a code its params call for (a coupon ending within the
// day, a price never this low, an expired coupon).
function variant(r: Reason): string {
  const p = r.params ?? {};
  if (r.code === 'coupon' && p.hours !== undefined) return 'coupon.hours';
  if (r.code === 'coupon' && p.until !== undefined) return 'coupon.until';
  if (r.code === 'rare_price' && p.never === 1) return 'rare_price.never';
  if (r.code === 'no_coupon' && p.expired === 1) return 'no_coupon.expired';
  return r.code;
}

export function reasonText(r: Reason): string {
  const key = `rs.${variant(r)}`;
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.params ?? {}))
    vars[k] = typeof v !== 'number' ? v : k.endsWith('_fen') ? yuan(v) : k.endsWith('_bps') ? bps(v) : count(v);
  const s = tOr(key, '', vars);
  // no words for the code, or a param the server did not send: its text
  return !s || /\{\w+\}/.test(s) ? r.text : s;
}
