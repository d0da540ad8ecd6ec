// The split simulator: a chain of levels (sharer first, up to 3 tiers) and a
// commission in yuan -> POST /plan/simulate -> each line with its reason.
// When the server's Simulation schema accepts a draft plan ("plan"), the
// draft in the editor can be simulated before it is saved.
import { empty, errorText, failure, h, mount } from '../lib/dom';
import { bps, parseYuan, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import { explain, roleName } from './explain';
import { levelLabel } from './plan-cache';
import { gate } from './roles';
import { api } from './session';
import type { Plan, Simulation } from './types';
import { money, row, table } from './ui';

let draftSupport: Promise<boolean> | null = null;

// Whether POST /plan/simulate takes a "plan" (read from the OpenAPI document).
function simulatesDrafts(): Promise<boolean> {
  draftSupport ??= api
    .get<{ components?: { schemas?: { Simulation?: { properties?: Record<string, unknown> } } } }>('/openapi.json')
    .then((doc) => !!doc.components?.schemas?.Simulation?.properties?.plan)
    .catch(() => false);
  return draftSupport;
}

const MAX_TIERS = 3;

// The chain's selects (sharer first) and the buttons that add or remove an upline.
function drawChain(plan: Plan, chain: string[], chainBox: HTMLElement): void {
  mount(
    chainBox,
    chain.map((key, i) => {
      const id = `sim-level-${i + 1}`;
      const sel = h(
        'select',
        {
          id,
          'data-testid': id,
          onchange: (e: Event) => {
            chain[i] = (e.target as HTMLSelectElement).value;
          },
        },
        plan.levels.map((l) => h('option', { value: l.key, selected: l.key === key }, `${levelLabel(plan, l.key)} · ${bps(l.rate_bps)}`)),
      );
      return h('li', null, h('label', { for: id }, i === 0 ? t('sim.sharer') : t('sim.upline', { n: i }), sel));
    }),
    h(
      'li',
      { class: 'sim-chain-tools' },
      chain.length < MAX_TIERS
        ? h(
            'button',
            {
              type: 'button',
              'data-testid': 'sim-add',
              onclick: () => {
                chain.push(chain[chain.length - 1]);
                drawChain(plan, chain, chainBox);
              },
            },
            t('sim.addUpline'),
          )
        : null,
      chain.length > 1
        ? h(
            'button',
            {
              type: 'button',
              'data-testid': 'sim-remove',
              onclick: () => {
                chain.pop();
                drawChain(plan, chain, chainBox);
              },
            },
            t('sim.removeUpline'),
          )
        : null,
    ),
  );
}

export function simulator(plan: Plan, draft: () => Record<string, unknown>): HTMLElement {
  const shareable = plan.levels.filter((l) => l.can_share !== false);
  const firstDefault = (shareable[0] ?? plan.levels[0])?.key ?? '';
  const chain: string[] = [firstDefault];
  const commission = h('input', { id: 'sim-commission', type: 'text', inputmode: 'decimal', value: '100.00', required: true, 'data-testid': 'sim-commission', 'aria-describedby': 'sim-commission-hint' });
  const self = h('input', { id: 'sim-self', type: 'checkbox', 'data-testid': 'sim-self' });
  const useDraft = h('input', { id: 'sim-draft', type: 'checkbox', 'data-testid': 'sim-draft' });
  const draftRow = h('label', { for: 'sim-draft', class: 'check', hidden: true }, useDraft, t('sim.useDraft'));
  const chainBox = h('ol', { class: 'sim-chain', 'data-testid': 'sim-chain' });
  const result = h('div', { 'data-testid': 'sim-result', 'aria-live': 'polite' });
  const msg = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'sim-error' });
  const draftNote = h('p', { class: 'muted small', 'data-testid': 'sim-draft-note' });

  void simulatesDrafts().then((ok) => {
    draftRow.hidden = !ok;
    draftNote.textContent = ok ? '' : t('sim.draftUnsupported', { version: plan.version });
  });

  drawChain(plan, chain, chainBox);

  const run = gate(h('button', { type: 'submit', class: 'primary', 'data-testid': 'sim-run' }, t('sim.run')), 'simulate', t('role.denied'));
  const form = h(
    'form',
    {
      class: 'sim',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        msg.textContent = '';
        const fen = parseYuan(commission.value);
        if (fen === null) {
          msg.textContent = t('sim.badAmount');
          commission.setAttribute('aria-invalid', 'true');
          commission.focus();
          return;
        }
        commission.removeAttribute('aria-invalid');
        const body: Record<string, unknown> = { commission: fen, chain: chain.map((level) => ({ level })) };
        if (self.checked) body.self_purchase = true;
        let used: Plan = plan;
        if (!draftRow.hidden && useDraft.checked) {
          try {
            const d = draft();
            body.plan = d;
            used = { ...(d as unknown as Plan) };
          } catch (err) {
            msg.textContent = t('plans.badJson', { message: err instanceof Error ? err.message : String(err) });
            return;
          }
        } else body.version = plan.version;
        run.disabled = true;
        result.setAttribute('aria-busy', 'true');
        try {
          const s = await api.post<Simulation>('/plan/simulate', body);
          mount(result, simulationView(s, used));
          result.setAttribute('data-ready', String(Date.now()));
        } catch (err) {
          mount(result, failure(err));
          msg.textContent = errorText(err);
        } finally {
          run.disabled = false;
          result.setAttribute('aria-busy', 'false');
        }
      },
    },
    h('p', { class: 'muted' }, t('sim.hint')),
    chainBox,
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'sim-commission' }, t('sim.commission'), commission),
      h('label', { for: 'sim-self', class: 'check' }, self, t('sim.self')),
      draftRow,
      run,
    ),
    h('p', { class: 'muted small', id: 'sim-commission-hint' }, t('sim.commissionHint')),
    draftNote,
    msg,
    result,
  );
  mount(result, empty(t('sim.none')));
  return form;
}

function simulationView(s: Simulation, plan: Plan): HTMLElement[] {
  const lines = [...s.lines].sort((a, b) => a.tier - b.tier);
  const rows = lines.map((l) =>
    row(
      [String(l.tier), levelLabel(plan, l.level), roleName(l.role), { v: bps(l.rate_bps), num: true }, money(l.amount, 'sim-amount'), h('span', { class: 'why' }, explain(l, lines, plan, s.commission))],
      { 'data-tier': String(l.tier) },
    ),
  );
  rows.push(row(['—', t('item.platform'), '', { v: s.commission ? bps(Math.round((s.platform * 10000) / s.commission)) : '—', num: true }, money(s.platform, 'sim-platform'), ''], { class: 'platform-row' }));
  return [
    h('p', { class: 'muted', 'data-testid': 'sim-summary' }, t('sim.summary', { commission: yuan(s.commission), version: s.plan_version })),
    table(t('sim.title'), [t('split.tier'), t('split.level'), t('split.role'), { label: t('split.rate'), num: true }, { label: t('split.amount'), num: true }, t('split.why')], rows, 'sim-table'),
  ];
}
