import { el } from '../dom/el.js';

/** A message line at the top of a view (role=alert for errors): what went wrong and what to do, as text. */
export class Notice {
  readonly element = el('div', { className: 'notice', attrs: { hidden: '' } });

  show(kind: 'error' | 'warning' | 'info', message: string): void {
    this.element.className = `notice notice-${kind}`;
    this.element.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    this.element.textContent = message;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
    this.element.textContent = '';
  }
}
