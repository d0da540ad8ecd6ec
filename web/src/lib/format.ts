// Amounts are integer fen from the API and are shown as yuan; never
// through floating point.  Dates and times in the viewer's time zone.
import { lang } from './i18n';

export function yuan(fen: number | null | undefined, opts: { sign?: boolean; symbol?: boolean } = {}): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const neg = fen < 0;
  const abs = BigInt(Math.abs(Math.trunc(fen)));
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  const sym = opts.symbol === false ? '' : '¥';
  const sign = neg ? '-' : opts.sign && fen > 0 ? '+' : '';
  return `${sign}${sym}${whole}.${cents}`;
}

// "12.34" or "12" (yuan, as typed) -> fen; null when it is not an amount.
export function parseYuan(s: string): number | null {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(s.replace(/[,¥￥]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function bps(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const whole = Math.trunc(v / 100);
  const frac = Math.abs(v % 100);
  return frac ? `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}%` : `${whole}%`;
}

export function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(lang() === 'zh' ? 'zh-CN' : 'en-US').format(n);
}

// One date format for every page and both languages: YYYY-MM-DD and
// YYYY-MM-DD HH:mm (24 h) in the viewer's time zone.  The same order in
// zh-CN and en reads unambiguously in both and lines up in columns.
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${isoDay(d)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return isoDay(d);
}

// MM-DD of a YYYY-MM-DD day: a chart's day axis, where the year is in the title.
export function shortDay(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day.slice(5) : day;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

// YYYY-MM-DD of a Date in the viewer's time zone.
export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

export function daysAgo(n: number, from = new Date()): string {
  const d = new Date(from);
  d.setDate(d.getDate() - n);
  return isoDay(d);
}
