// Simplified Chinese and English.  The language comes from the browser
// (navigator.languages) unless the viewer switched it; each page registers
// its own dictionaries with addMessages().
export type Lang = 'zh' | 'en';
type Dict = Record<string, string>;

// The keys t() takes: the common ones below and those each page's
// messages.ts adds to this interface (declare module '../lib/i18n'), so a
// misspelt or missing key fails the type check instead of showing the key.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MessageKeys {}
export type MessageKey = keyof MessageKeys | keyof typeof common;

const KEY = 'tuike.lang';
const messages: Record<Lang, Dict> = { zh: {}, en: {} };
let current: Lang = detect();
const listeners: Array<() => void> = [];

function detect(): Lang {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* storage off: fall through */
  }
  const langs = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : [];
  for (const l of langs) {
    const s = l.toLowerCase();
    if (s.startsWith('zh')) return 'zh';
    if (s.startsWith('en')) return 'en';
  }
  return 'zh';
}

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  current = l;
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* not kept */
  }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): void {
  listeners.push(f);
}

// Adds a page's tables; the key set is the English table's, and the
// Chinese one must have exactly the same keys (NoInfer: it is checked
// against them, not added to them).  Returns the English table, whose
// keys the page declares as its MessageKeys.
export function addMessages<K extends string>(zh: Record<NoInfer<K>, string>, en: Record<K, string>): Record<K, string> {
  Object.assign(messages.zh, zh);
  Object.assign(messages.en, en);
  return en;
}

// A table of [中文, English] per key, split into the two languages' tables.
export function addPairs(pairs: Record<string, readonly [string, string]>): void {
  const zh: Record<string, string> = {};
  const en: Record<string, string> = {};
  for (const [k, [z, e]] of Object.entries(pairs)) {
    zh[k] = z;
    en[k] = e;
  }
  addMessages(zh, en);
}

// t('key', {n: 3}) -> the message with {n} replaced; the key itself when missing.
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  let s = messages[current][key] ?? messages.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

// The keys made at run time from what the server sends (an error code, a
// status a newer server may add): the key's text when there is one, else
// `fallback`, the raw value, which at least reads as itself.
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(messages.en, key);
}

export function tOr(key: string, fallback: string, vars?: Record<string, string | number>): string {
  return hasMessage(key) ? t(key, vars) : fallback;
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars, no-useless-assignment -- kept for its keys (MessageKey)
const common = addMessages(
  {
    'common.loading': '加载中…',
    'common.empty': '暂无数据',
    'common.error': '出错了：{message}',
    'common.retry': '重试',
    'common.more': '加载更多',
    'common.save': '保存',
    'common.cancel': '取消',
    'common.search': '搜索',
    'common.logout': '退出登录',
    'common.language': '语言',
    'common.copy': '复制',
    'common.copied': '已复制',
    'common.close': '关闭',
    'error.network': '无法连接服务器，请检查网络后重试',
    'error.unauthorized': '登录已失效，请重新登录',
    'error.forbidden': '无权查看或操作',
    'error.not_found': '未找到',
    'error.rate_limited': '操作太频繁，请稍后再试',
    'error.insufficient_funds': '可提现余额不足',
    'error.member_in_debt': '会员退款追回后欠款：补足前不能批准或打款',
    'union.refused': '{union}联盟拒绝了转链（错误码 {code}）：{message}',
    'union.refusedNoCode': '{union}联盟拒绝了转链：{message}',
    'union.unavailable': '{union}联盟暂时无法连接，请稍后再试（{message}）',
    'link.demo': '演示链接',
    'link.demoHint': '演示模式：离线生成，不是联盟的真实链接',
  },
  {
    'common.loading': 'Loading…',
    'common.empty': 'Nothing here yet',
    'common.error': 'Something went wrong: {message}',
    'common.retry': 'Retry',
    'common.more': 'Load more',
    'common.save': 'Save',
    'common.cancel': 'Cancel',
    'common.search': 'Search',
    'common.logout': 'Log out',
    'common.language': 'Language',
    'common.copy': 'Copy',
    'common.copied': 'Copied',
    'common.close': 'Close',
    'error.network': 'Cannot reach the server; check the connection and retry',
    'error.unauthorized': 'Your session has ended; please log in again',
    'error.forbidden': 'You may not see or do this',
    'error.not_found': 'Not found',
    'error.rate_limited': 'Too many requests; try again shortly',
    'error.insufficient_funds': 'Not enough available balance',
    'error.member_in_debt': "The member owes money after a clawback: this can't be approved or paid until that is covered",
    'union.refused': '{union} refused the link (error {code}): {message}',
    'union.refusedNoCode': '{union} refused the link: {message}',
    'union.unavailable': '{union} could not be reached; try again shortly ({message})',
    'link.demo': 'Demo link',
    'link.demoHint': 'Demo mode: made offline, not a real union link',
  },
);
