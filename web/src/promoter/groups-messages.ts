// My groups' texts: Simplified Chinese and English.
import { addMessages } from '../lib/i18n';

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- kept for its keys (MessageKeys)
const table = addMessages(
  {
    'mg.title': '我的群',
    'mg.link': '我的群',
    'mg.none': '你还没有群。',
    'mg.lastDays': '近{n}天',
    'mg.sends': '发送',
    'mg.clicks': '点击',
    'mg.orders': '订单',
    'mg.earned': '我的收益',
    'mg.dormant': '这个群最近没有点击和订单。',
    'mg.suggest.send less': '建议少发一些。',
    'mg.suggest.change categories': '有人看没人买，建议换个类目。',
    'mg.suggest.archive': '很久没有效果了，可以考虑归档。',
    'mg.offers': '今日待发',
    'mg.noOffers': '今天没有待发的商品。',
    'mg.offersNotYet': '今日待发暂不可用（服务器未启用发单）。',
    'mg.copy': '复制',
    'mg.copyN': '复制第{n}条（文案和链接）',
    'mg.kind.wecom': '企业微信',
    'mg.kind.dingtalk': '钉钉',
    'mg.kind.feishu': '飞书',
    'mg.kind.telegram': 'Telegram',
    'mg.kind.manual': '手动发',
  },
  {
    'mg.title': 'My groups',
    'mg.link': 'My groups',
    'mg.none': 'You have no groups yet.',
    'mg.lastDays': 'Last {n} days',
    'mg.sends': 'Sends',
    'mg.clicks': 'Clicks',
    'mg.orders': 'Orders',
    'mg.earned': 'I earned',
    'mg.dormant': 'No clicks and no orders lately.',
    'mg.suggest.send less': 'Try sending less.',
    'mg.suggest.change categories': 'People look but do not buy: try other categories.',
    'mg.suggest.archive': 'Nothing for a long time: consider archiving it.',
    'mg.offers': "Today's offers",
    'mg.noOffers': 'Nothing to post today.',
    'mg.offersNotYet': "Today's offers are not available yet (the server sends no offers).",
    'mg.copy': 'Copy',
    'mg.copyN': 'Copy offer {n} (text and link)',
    'mg.kind.wecom': 'WeCom',
    'mg.kind.dingtalk': 'DingTalk',
    'mg.kind.feishu': 'Feishu',
    'mg.kind.telegram': 'Telegram',
    'mg.kind.manual': 'by hand',
  },
);

declare module '../lib/i18n' {
  interface MessageKeys extends Record<keyof typeof table, true> {}
}
