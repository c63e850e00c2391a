/** Shadow-DOM styles of <emotion-recognizer>; theme with the --er-* custom properties on the host. */
export const WIDGET_CSS = `
:host {
  --er-bg: #ffffff; --er-fg: #1d2330; --er-muted: #687085; --er-accent: #3b5bdb; --er-bar-bg: #e9ecf3;
  --er-radius: 10px; --er-font: system-ui, -apple-system, 'Segoe UI', sans-serif; --er-width: 340px;
  display: inline-block; width: var(--er-width); max-width: 100%; font-family: var(--er-font); color: var(--er-fg);
  background: var(--er-bg); border: 1px solid color-mix(in srgb, var(--er-fg) 15%, transparent); border-radius: var(--er-radius);
  box-sizing: border-box; padding: 0.75rem;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.stage { position: relative; background: #111; border-radius: calc(var(--er-radius) - 4px); overflow: hidden; aspect-ratio: 4 / 3; }
video { width: 100%; height: 100%; object-fit: cover; display: block; }
:host([compact]) .stage { display: none; }
.controls { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
button { font: inherit; padding: 0.35rem 0.8rem; border-radius: 6px; border: 1px solid var(--er-accent); background: var(--er-accent); color: #fff; cursor: pointer; }
button.secondary { background: transparent; color: var(--er-accent); }
button:disabled { opacity: 0.5; cursor: default; }
button:focus-visible, input:focus-visible { outline: 3px solid color-mix(in srgb, var(--er-accent) 50%, transparent); outline-offset: 2px; }
.label { font-size: 1.4rem; font-weight: 600; margin: 0.25rem 0; text-transform: capitalize; }
:host([compact]) .label { font-size: 1.1rem; }
.meta, .status { color: var(--er-muted); font-size: 0.8rem; }
.status[data-kind='error'] { color: #c92a2a; }
.bars { display: grid; grid-template-columns: auto 1fr 3ch; gap: 0.15rem 0.4rem; align-items: center; font-size: 0.8rem; }
:host([compact]) .bars { display: none; }
.bar { height: 0.55rem; background: var(--er-bar-bg); border-radius: 4px; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--er-accent); width: 0; transition: width 0.3s; }
.file { display: none; }
:host([mode='file']) .file { display: flex; }
:host([mode='file']) .camera { display: none; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
