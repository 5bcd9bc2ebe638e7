import type { ExperimentSummary } from '../../../../functions/dashboard-publisher/dashboard-data.js';
import { el } from '../../dom/el.js';
import { formatDuration, formatTime } from '../../format.js';

export const MAX_COMPARED = 6;
export type StatusFilter = 'all' | 'running' | 'completed' | 'failed';

/**
 * The list of experiments with a status filter and a checkbox each; at most MAX_COMPARED can be
 * picked. By default the two newest completed experiments (or the newest ones) are picked.
 */
export class ExperimentPicker {
  readonly element: HTMLElement;
  private readonly filter = el(
    'select',
    { attrs: { id: 'status-filter' } },
    ...(['all', 'running', 'completed', 'failed'] as const).map((status) => el('option', { attrs: { value: status }, text: status === 'all' ? 'All statuses' : status })),
  );
  private readonly list = el('ul', { className: 'experiment-list' });
  private readonly note = el('p', { className: 'muted' });
  private experiments: readonly ExperimentSummary[] = [];
  private selected: string[] | null = null;

  constructor(private readonly onChange: () => void) {
    this.filter.addEventListener('change', () => {
      this.render();
      this.onChange();
    });
    this.element = el(
      'div',
      { className: 'picker' },
      el('div', { className: 'table-controls' }, el('label', { attrs: { for: 'status-filter' }, text: 'Status ' }), this.filter),
      this.list,
      this.note,
    );
  }

  get statusFilter(): StatusFilter {
    return this.filter.value as StatusFilter;
  }

  /** The picked experiments that pass the filter, in list order. */
  chosen(): ExperimentSummary[] {
    const picked = new Set(this.selected ?? []);
    return this.visible().filter((experiment) => picked.has(experiment.id));
  }

  visible(): ExperimentSummary[] {
    const status = this.statusFilter;
    return this.experiments.filter((experiment) => status === 'all' || experiment.status === status);
  }

  update(experiments: readonly ExperimentSummary[]): void {
    this.experiments = experiments;
    if (this.selected === null) {
      const completed = experiments.filter((experiment) => experiment.status === 'completed');
      this.selected = (completed.length >= 2 ? completed : experiments).slice(0, 2).map((experiment) => experiment.id);
    }
    this.render();
  }

  private render(): void {
    const visible = this.visible();
    const picked = new Set(this.selected ?? []);
    this.note.textContent =
      visible.length === 0 ? 'No experiments with this status.' : `Pick up to ${MAX_COMPARED} experiments to compare (${this.chosen().length} picked).`;
    this.list.replaceChildren(
      ...visible.map((experiment) => {
        const box = el('input', { attrs: { type: 'checkbox', value: experiment.id, 'data-experiment': experiment.id } });
        box.checked = picked.has(experiment.id);
        box.disabled = !box.checked && picked.size >= MAX_COMPARED;
        box.addEventListener('change', () => this.toggle(experiment.id, box.checked));
        return el(
          'li',
          {},
          el(
            'label',
            {},
            box,
            el('span', { className: 'experiment-name', text: experiment.name }),
            el('span', { className: `status status-${experiment.status}`, text: experiment.status }),
            el('span', { className: 'muted', text: `P${experiment.producers} · C${experiment.consumers} · ${experiment.partitions} partitions · ${formatDuration(experiment.durationSeconds)} · ${formatTime(experiment.startedAt)}` }),
          ),
        );
      }),
    );
  }

  private toggle(id: string, on: boolean): void {
    const current = (this.selected ?? []).filter((selected) => selected !== id);
    this.selected = on ? [...current, id].slice(-MAX_COMPARED) : current;
    this.render();
    this.onChange();
  }
}
