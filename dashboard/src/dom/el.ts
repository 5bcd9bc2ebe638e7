/**
 * The only way the dashboard creates DOM: elements whose text is set with textContent and whose
 * attributes are set one by one. Nothing from the data is ever parsed as HTML (no HTML-parsing DOM
 * API is used anywhere: tests/dashboard/dashboard-source.test.ts checks), so a log line like
 * `<img onerror=…>` stays text.
 */
type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  text?: string;
  /** Plain attributes; event-handler attributes (on…) are refused. */
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className !== undefined) element.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (/^on/i.test(name)) throw new Error(`refusing event-handler attribute ${name}`);
    element.setAttribute(name, value);
  }
  if (options.text !== undefined) element.textContent = options.text;
  append(element, ...children);
  return element;
}

/** Appends nodes; strings become text nodes (never markup). */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(node: Element): void {
  node.replaceChildren();
}

/** A panel with a heading, for charts and tables. */
export function panel(title: string, className = '', ...children: Child[]): HTMLElement {
  return el('section', { className: `panel ${className}`.trim() }, el('h3', { text: title }), ...children);
}
