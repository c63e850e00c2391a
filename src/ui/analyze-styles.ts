/** Styles of the Analyze tab, injected once (the shared stylesheet belongs to the live view). */
const CSS = `
#view-analyze { padding: 1rem; }
.analyze-drop { border: 2px dashed #333a48; border-radius: 10px; padding: 1.5rem; text-align: center; color: var(--muted); cursor: pointer; }
.analyze-drop.over { border-color: var(--accent); background: #1a2030; }
.analyze-options { display: flex; flex-wrap: wrap; gap: 1rem; margin: .6rem 0; font-size: .85rem; color: var(--muted); align-items: center; }
.analyze-options input[type=number] { width: 4.5rem; background: var(--panel); color: var(--fg); border: 1px solid #333a48; border-radius: 4px; }
.analyze-progress { display: flex; gap: .75rem; align-items: center; margin: .5rem 0; font-size: .85rem; }
.analyze-progress progress { flex: 1; height: .8rem; }
#analyze-status[data-state=error] { color: var(--err); }
#analyze-status[data-state=partial] { color: var(--warn); }
#analyze-warnings { color: var(--warn); font-size: .85rem; margin: .3rem 0; }
.analyze-grid { display: grid; grid-template-columns: minmax(280px, 1fr) 2fr; gap: 1rem; margin-top: .8rem; }
@media (max-width: 900px) { .analyze-grid { grid-template-columns: 1fr; } }
.analyze-exports { display: flex; gap: .5rem; margin: .5rem 0; }
#analyze-overlay { pointer-events: none; z-index: 1; }
.analyze-marker { position: absolute; top: 0; bottom: 0; width: 1px; background: #fff8; pointer-events: none; }
#analyze-timeline .u-title { font-size: .85rem; color: var(--muted); font-weight: 600; }
#analyze-timeline .u-legend { font-size: .75rem; color: var(--muted); }
.analyze-table { width: 100%; border-collapse: collapse; font-size: .8rem; margin-top: .8rem; }
.analyze-table th, .analyze-table td { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid #262b36; vertical-align: top; }
.analyze-table tbody tr { cursor: pointer; }
.analyze-table tbody tr:hover, .analyze-table tbody tr.current { background: #1d2330; }
.analyze-table .run-start td { border-top: 2px solid #3a4252; }
.analyze-table .lbl { font-weight: 600; }
`;

export function injectAnalyzeStyles(): void {
  if (document.getElementById('analyze-styles')) return;
  const style = document.createElement('style');
  style.id = 'analyze-styles';
  style.textContent = CSS;
  document.head.append(style);
}
