export type { Member, Me, Product, CopyText, Balance, LedgerEntry, LedgerPage, Summary, MonthFigures, TeamStats, TeamPage, Withdrawal, WithdrawalPage } from '../lib/types';
import type { components } from '../lib/api-types';
import type { Product } from '../lib/types';
// The shapes of the API answers this page reads (see GET /api/v1/openapi.json).
// Money is integer fen everywhere.

export type Session = components['schemas']['Session'];

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


// GET /products/categories: the library's categories, best sellers first.
export interface Categories {
  categories: Array<{ category: string; products: number }>;
}
