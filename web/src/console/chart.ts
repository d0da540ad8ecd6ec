// A chart box: a labelled figure whose chart code arrives with import(),
// with its figures also as a table (the text alternative).
import { failure, h, mount } from '../lib/dom';
import { t } from '../lib/i18n';
import type { ChartSpec } from './charts';
import { onLeave } from './layout';

let module: Promise<typeof import('./charts')> | null = null;

let gate: Promise<unknown> = Promise.resolve();

// Loads the chart code (once).
export function loadCharts(): Promise<typeof import('./charts')> {
  module ??= import('./charts');
  return module;
}

// The chart code takes the main thread a while to start: it waits until
// `first` (the figures that matter most) has been painted, or `ms` at most,
// then loads while the other answers are still on their way.
export function chartsAfter(first: Promise<unknown>, ms = 800): void {
  const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  gate = Promise.race([first.then(painted, painted), new Promise((r) => setTimeout(r, ms))]);
  void gate.then(() => loadCharts()).catch(() => {
    /* each chart shows the error */
  });
}

// An empty chart area, to fill later with fill().
export function chartBox(label: string, testid: string): HTMLElement {
  return h(
    'figure',
    { class: 'chart-box', 'data-testid': testid },
    h('div', { class: 'chart', role: 'img', 'aria-label': label }),
    h('figcaption', { class: 'sr-only' }, label),
  );
}

// Draws spec into the box and adds the text alternative (a table of the
// same figures) in a <details> under it.
export async function fill(box: HTMLElement, spec: ChartSpec, alt: HTMLElement): Promise<void> {
  const area = box.querySelector<HTMLElement>('.chart');
  if (!area) return;
  box.querySelector('details')?.remove();
  box.append(h('details', { class: 'chart-alt' }, h('summary', null, t('chart.asTable')), alt));
  try {
    await gate;
    const charts = await loadCharts();
    if (!area.isConnected) return; // the view was left meanwhile
    const dispose = charts.draw(area, spec);
    box.setAttribute('data-drawn', 'true');
    onLeave(dispose);
  } catch (e) {
    mount(area, failure(e));
  }
}
