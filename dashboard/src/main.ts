import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { pageBase } from './data/load-json.js';
import { ExperimentsView } from './views/experiments-view.js';
import { Notice } from './views/notice.js';
import { RealtimeView } from './views/realtime-view.js';

/** Auto-refresh period (ms): the seed's 10 s. */
export const REFRESH_MS = 10_000;

type ViewName = 'realtime' | 'experiments';

interface View {
  readonly element: HTMLElement;
  refresh(): Promise<void>;
}

function start(): void {
  const base = pageBase(window.location);
  const appNotice = new Notice();
  const views: Record<ViewName, View> = { realtime: new RealtimeView(base), experiments: new ExperimentsView(base) };
  const main = document.getElementById('views');
  const autoRefresh = document.getElementById('auto-refresh') as HTMLInputElement | null;
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[data-view]')];
  if (main === null || autoRefresh === null) throw new Error('the page is missing its #views or #auto-refresh element');
  main.append(appNotice.element, ...Object.values(views).map((view) => view.element));

  // A rendering bug must show a message, not leave a blank page.
  window.addEventListener('error', (event) => appNotice.show('error', `The dashboard hit an error: ${event.message}`));
  window.addEventListener('unhandledrejection', (event) => appNotice.show('error', `The dashboard hit an error: ${String((event.reason as Error)?.message ?? event.reason)}`));

  let current: ViewName = 'realtime';
  let timer: number | undefined;
  const refreshCurrent = async (): Promise<void> => {
    document.body.dataset.loading = current;
    try {
      await views[current].refresh();
    } finally {
      delete document.body.dataset.loading;
    }
  };
  const schedule = (): void => {
    window.clearInterval(timer);
    timer = autoRefresh.checked ? window.setInterval(() => void refreshCurrent(), REFRESH_MS) : undefined;
  };
  const show = (name: ViewName): void => {
    current = name;
    for (const [viewName, view] of Object.entries(views)) view.element.hidden = viewName !== name;
    for (const tab of tabs) tab.setAttribute('aria-selected', String(tab.dataset.view === name));
    if (window.location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
    void refreshCurrent();
    schedule();
  };

  for (const tab of tabs) tab.addEventListener('click', () => show(tab.dataset.view === 'experiments' ? 'experiments' : 'realtime'));
  autoRefresh.addEventListener('change', schedule);
  window.addEventListener('hashchange', () => show(window.location.hash === '#experiments' ? 'experiments' : 'realtime'));
  show(window.location.hash === '#experiments' ? 'experiments' : 'realtime');
}

start();
