// The chat groups section's words, [中文, English] per key.
import { addMessages } from '../lib/i18n';

// [中文, English] per key (tests/web/unit checks each is a pair)
const m = {
  'nav.groups': ['群', 'Groups'],
  'groups.title': ['群', 'Chat groups'],
  'groups.intro': ['各群发单与效果', 'What each group was sent and what it brought'],
  'groups.none': ['还没有群。', 'No groups yet.'],
  'groups.name': ['群名', 'Name'],
  'groups.owner': ['群主', 'Owner'],
  'groups.kind': ['类型', 'Kind'],
  'groups.state': ['状态', 'State'],
  'groups.health': ['提醒', 'Attention'],
  'groups.sendsN': ['近{n}天发送', 'Sends, {n} days'],
  'groups.clicksN': ['近{n}天点击', 'Clicks, {n} days'],
  'groups.ordersN': ['近{n}天订单', 'Orders, {n} days'],
  'groups.commissionN': ['近{n}天佣金', 'Commission, {n} days'],
  'groups.kind.wecom': ['企业微信', 'WeCom'],
  'groups.kind.dingtalk': ['钉钉', 'DingTalk'],
  'groups.kind.feishu': ['飞书', 'Feishu'],
  'groups.kind.telegram': ['Telegram', 'Telegram'],
  'groups.kind.manual': ['手动发', 'By hand'],
  'groups.dormant': ['沉默', 'Dormant'],
  'groups.attention': ['需关注', 'Needs a look'],
  'groups.suggest.send less': ['少发一些', 'send less'],
  'groups.suggest.change categories': ['换个类目', 'change categories'],
  'groups.suggest.archive': ['建议归档', 'archive it'],
  'groups.settings': ['设置', 'Settings'],
  'groups.channel': ['群渠道', 'Channel key'],
  'groups.credentials': ['机器人', 'Robot'],
  'groups.byHand': ['由群主手动发', 'posted by hand'],
  'groups.noCredential': ['未设置', 'not set'],
  'groups.schedule': ['发送时间', 'Schedule'],
  'groups.every': ['每{n}分钟，{from}–{to}', 'every {n} minutes, {from}–{to}'],
  'groups.defaultSchedule': ['默认', 'default'],
  'groups.quiet': ['免打扰', 'Quiet hours'],
  'groups.categories': ['类目', 'Categories'],
  'groups.any': ['不限', 'any'],
  'groups.keywords': ['关键词', 'Keywords'],
  'groups.selection': ['选品', 'Selection'],
  'groups.selection.list': ['指定商品', 'a list of products'],
  'groups.selection.ranking': ['按推荐榜', 'the ranking'],
  'groups.dedup': ['同品间隔', 'Same product again after'],
  'groups.days': ['{n}天', '{n} days'],
  'groups.template': ['模板', 'Template'],
  'groups.pause': ['暂停', 'Pause'],
  'groups.resume': ['恢复', 'Resume'],
  'groups.archive': ['归档', 'Archive'],
  'groups.archiveConfirm': ['归档后待发的消息会取消，且不能恢复。确定归档？', 'Archiving cancels the queued sends and cannot be undone. Archive?'],
  'groups.saved': ['已保存', 'Saved'],
  'groups.sendNow': ['立即发一条', 'Send one now'],
  'groups.queued': ['已加入发送队列', 'Queued'],
  'groups.preview': ['预览', 'Preview'],
  'groups.notYet': ['服务器暂不支持此功能（发单程序未启用）。', 'The server does not offer this yet (no sender).'],
  'groups.queue': ['发送队列与记录', 'Queue and history'],
  'groups.noJobs': ['队列为空。', 'Nothing queued or sent.'],
  'groups.due': ['时间', 'Time'],
  'groups.product': ['商品', 'Product'],
  'groups.jobState': ['状态', 'State'],
  'groups.attempts': ['尝试', 'Attempts'],
  'groups.answer': ['平台回复', "Platform's answer"],
  'groups.results': ['效果', 'Results'],
  'groups.range': ['{from} 至 {to}', '{from} to {to}'],
  'groups.sends': ['发送', 'Sends'],
  'groups.failures': ['失败', 'Failures'],
  'groups.clicks': ['点击', 'Clicks'],
  'groups.unique': ['独立 {n}', '{n} unique'],
  'groups.orders': ['订单', 'Orders'],
  'groups.gmv': ['成交额', 'GMV'],
  'groups.commission': ['佣金', 'Commission'],
  'groups.ownerShare': ['群主收益', "Owner's share"],
  'groups.trend': ['每日趋势', 'Daily trend'],
  'groups.history': ['最近发送', 'Latest sends'],
  'groups.noSends': ['这段时间没有发送。', 'No sends in this range.'],
  'groups.sentAt': ['发送时间', 'Sent'],
  'groups.link': ['链接', 'Link'],
  'groups.clicks48': ['48小时点击', 'Clicks, 48 h'],
  'groups.orders48': ['48小时订单', 'Orders, 48 h'],
  'groups.commission48': ['48小时佣金', 'Commission, 48 h'],
};

const zh: Record<string, string> = {};
const en: Record<string, string> = {};
for (const [k, [z, e]] of Object.entries(m)) {
  zh[k] = z;
  en[k] = e;
}
addMessages(zh, en);

declare module '../lib/i18n' {
  interface MessageKeys extends Record<keyof typeof m, true> {}
}
