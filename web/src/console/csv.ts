// The payout file for the payment channel: CSV, UTF-8 with a BOM (so Excel
// reads Chinese), CRLF lines, amounts as exact yuan decimals from fen.
import type { Withdrawal } from './types';

// 123456 -> "1234.56", -5 -> "-0.05": integers only, never a float.
export function fenDecimal(fen: number): string {
  const neg = fen < 0;
  const abs = BigInt(Math.abs(Math.trunc(fen)));
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

// A field quoted when it holds a comma, a quote, a line break or edge spaces.
export function csvField(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const PAYOUT_COLUMNS = ['id', 'member', 'method', 'account', 'amount_yuan', 'fee_yuan', 'net_yuan', 'requested_at'];

export function payoutCsv(ws: Withdrawal[]): string {
  const lines = [PAYOUT_COLUMNS.join(',')];
  for (const w of ws)
    lines.push(
      [w.id, w.member, w.method, w.account, fenDecimal(w.amount), fenDecimal(w.fee), fenDecimal(w.net), w.requested_at ?? ''].map(csvField).join(','),
    );
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export function download(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
