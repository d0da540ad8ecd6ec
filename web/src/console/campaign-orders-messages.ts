// The campaign orders page's words, [中文, English] per key.
import { addPairs } from '../lib/i18n';

// [中文, English] per key (tests/web/unit checks each is a pair)
const m = {
  'nav.campaignOrders': ['活动订单', 'Campaign orders'],
  'co.hint': ['招商活动商品的订单与服务费：预估、结算、扣回', 'Orders of the campaign products and the service fee: estimated, settled, clawed back'],
  'co.campaign': ['活动', 'Campaign'],
  'co.merchant': ['商家', 'Merchant'],
  'co.channel': ['渠道', 'Channel'],
  'co.month': ['月份', 'Month'],
  'co.from': ['付款起', 'Paid from'],
  'co.to': ['付款止', 'Paid to'],
  'co.union': ['联盟', 'Union'],
  'co.kind': ['类别', 'Kind'],
  'co.kind.any': ['全部', 'All'],
  'co.kind.head': ['服务费订单', 'Service fee rows'],
  'co.kind.own': ['自推订单', 'Own sales'],
  'co.status': ['状态', 'Status'],
  'co.any': ['不限', 'Any'],
  'co.apply': ['筛选', 'Filter'],
  'co.clear': ['清除', 'Clear'],
  'co.export': ['导出表格', 'Export CSV'],
  'co.exported': ['已导出', 'Exported'],
  'co.item': ['订单行', 'Item'],
  'co.product': ['商品', 'Product'],
  'co.paidAt': ['付款时间', 'Paid'],
  'co.amount': ['成交额', 'Amount'],
  'co.fee': ['服务费', 'Service fee'],
  'co.feeSource': ['来源', 'Source'],
  'co.feeSource.union': ['联盟', 'union'],
  'co.feeSource.rate': ['按费率', 'by rate'],
  'co.feeSource.none': ['无', 'none'],
  'co.bucket': ['服务费状态', 'Fee state'],
  'co.bucket.none': ['未计', 'none'],
  'co.bucket.estimated': ['预估', 'estimated'],
  'co.bucket.settled': ['已结算', 'settled'],
  'co.unlinked': ['未登记', 'not registered'],
  'co.empty': ['没有符合条件的活动订单。', 'No campaign orders match.'],
  'co.totals': ['合计', 'Totals'],
  'co.orders': ['订单数', 'Orders'],
  'co.gmv': ['成交额', 'GMV'],
  'co.feeEstimated': ['预估服务费', 'Fee estimated'],
  'co.feeSettled': ['已结算服务费', 'Fee settled'],
  'co.feeClawed': ['已扣回', 'Clawed back'],
  'co.list': ['活动订单列表', 'Campaign orders'],
} satisfies Record<string, [string, string]>;

addPairs(m);

declare module '../lib/i18n' {
  interface MessageKeys extends Record<keyof typeof m, true> {}
}
