/** Visible, dismissable notices (fallbacks, errors). One per key, so repeats replace instead of stacking. */
export function showNotice(key: string, message: string, kind: 'info' | 'warn' | 'error' = 'warn'): void {
  const host = document.getElementById('notices');
  if (!host) return;
  let el = host.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
  if (!el) {
    el = document.createElement('div');
    el.dataset.key = key;
    host.append(el);
  }
  el.className = `notice ${kind}`;
  el.textContent = message;
}

export function clearNotice(key: string): void {
  document.querySelector(`#notices [data-key="${CSS.escape(key)}"]`)?.remove();
}
