/**
 * The webviews' own script, kept small on purpose: everything shown is rendered (and escaped)
 * in the extension (./render.ts); the page swaps that HTML in, brings a statement into view,
 * and sends back what the person does: a click on a statement, opening or closing a service,
 * typing in the search box.
 */
import { randomBytes } from 'node:crypto';

export function nonce(): string {
  return randomBytes(16)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

/** Messages from the page. */
export type PageMessage =
  { type: 'ready' } | { type: 'reveal'; index: number } | { type: 'toggle'; prefix: string; open: boolean } | { type: 'search'; filter: string };

/** Messages to the page. */
export interface RenderMessage {
  type: 'render';
  html: string;
  /** The id of an element to bring into view. */
  focus?: string;
  /** The search in effect (the box shows it unless the person is typing in it). */
  filter?: string;
}

export const PAGE_SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  const search = document.getElementById('search');
  let timer;
  if (search) {
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => vscode.postMessage({ type: 'search', filter: search.value }), 100);
    });
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('[data-statement]') : null;
    if (link) {
      event.preventDefault();
      vscode.postMessage({ type: 'reveal', index: Number(link.getAttribute('data-statement')) });
    }
  });
  document.addEventListener('toggle', (event) => {
    const details = event.target;
    if (details instanceof HTMLDetailsElement && details.hasAttribute('data-service')) {
      vscode.postMessage({ type: 'toggle', prefix: details.getAttribute('data-service'), open: details.open });
    }
  }, true);
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || message.type !== 'render') return;
    root.innerHTML = message.html;
    if (search && typeof message.filter === 'string' && document.activeElement !== search) search.value = message.filter;
    if (message.focus) {
      const element = document.getElementById(message.focus);
      if (element) element.scrollIntoView({ block: 'center' });
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
`;
