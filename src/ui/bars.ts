/** Horizontal bar lists that update in place (no DOM churn per frame). */
export interface BarEntry {
  name: string;
  value: number;
  /** Display label; defaults to name. */
  label?: string;
  color?: string;
}

export function renderBars(container: HTMLElement, entries: BarEntry[], options: { max?: number; digits?: number } = {}): void {
  const max = options.max ?? 1;
  const digits = options.digits ?? 2;
  const sameRows =
    container.childElementCount === entries.length &&
    entries.every((e, i) => (container.children[i] as HTMLElement).dataset.name === e.name);
  if (!sameRows) {
    container.replaceChildren(
      ...entries.map((e) => {
        const row = document.createElement('div');
        row.className = 'bar';
        row.dataset.name = e.name;
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = e.label ?? e.name;
        const track = document.createElement('div');
        track.className = 'track';
        const fill = document.createElement('div');
        fill.className = 'fill';
        fill.style.background = e.color ?? `var(--${e.name}, var(--accent))`;
        track.append(fill);
        const value = document.createElement('span');
        value.className = 'value';
        row.append(name, track, value);
        return row;
      }),
    );
  }
  entries.forEach((e, i) => {
    const row = container.children[i] as HTMLElement;
    const v = Number.isFinite(e.value) ? e.value : 0;
    row.dataset.value = String(v);
    (row.querySelector('.fill') as HTMLElement).style.width = `${Math.max(0, Math.min(1, v / max)) * 100}%`;
    (row.querySelector('.value') as HTMLElement).textContent = v.toFixed(digits);
  });
}
