// The members list's words (filter bar, sortable columns, totals, export),
// [中文, English] per key; kept apart so the list's words travel with it.
import { addPairs } from '../lib/i18n';

const m = {
  'mlist.hint': ['按等级、加入日期、销售额和团队人数筛选；或按会员 ID、邀请码、昵称查找', 'Filter by level, join date, sales and team size; or find by member id, invite code or name'],
  'mlist.filters': ['筛选', 'Filters'],
  'mlist.levels': ['等级', 'Levels'],
  'mlist.anyLevel': ['全部等级', 'Any level'],
  'mlist.joinedFrom': ['加入日期从', 'Joined from'],
  'mlist.joinedTo': ['加入日期至', 'Joined to'],
  'mlist.salesMin': ['本期销售额至少（元）', 'Sales at least (yuan)'],
  'mlist.teamMin': ['团队人数至少', 'Team at least'],
  'mlist.directMin': ['直推人数至少', 'Direct invitees at least'],
  'mlist.apply': ['筛选', 'Apply'],
  'mlist.clear': ['清除', 'Clear'],
  'mlist.export': ['导出 CSV', 'Export CSV'],
  'mlist.exported': ['已导出 {name}', 'Saved {name}'],
  'mlist.total': ['共 {n} 人', '{n} members'],
  'mlist.totalMore': ['超过 {n} 人', 'More than {n} members'],
  'mlist.period': ['销售额统计期：{from} 至 {to}（北京时间）', 'Sales over {from} to {to} (Beijing time)'],
  'mlist.sales': ['本期销售额', 'Sales'],
  'mlist.joined': ['加入时间', 'Joined'],
  'mlist.sortBy': ['按{col}排序', 'Sort by {col}'],
  'mlist.empty': ['没有符合条件的会员', 'No member matches these filters'],
  'mlist.badAmount': ['请输入金额，如 100 或 99.50', 'Enter an amount such as 100 or 99.50'],
  'mlist.list': ['会员列表', 'Members'],
} satisfies Record<string, [string, string]>;

addPairs(m);

declare module '../lib/i18n' {
  interface MessageKeys extends Record<keyof typeof m, true> {}
}
