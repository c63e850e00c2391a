import './styles.css';
import { inference } from './engine';
import { liveStats, setupLiveView } from './live-view';

function setupTabs() {
  const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('nav [role=tab]'));
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      const panel = document.getElementById(t.getAttribute('aria-controls')!);
      if (panel) panel.hidden = !selected;
    }
    history.replaceState(null, '', `#${tab.id.replace('tab-', '')}`);
  };
  for (const t of tabs) t.addEventListener('click', () => select(t));
  const fromHash = () => {
    const tab = tabs.find((t) => t.id === `tab-${location.hash.slice(1)}`);
    if (tab) select(tab);
  };
  fromHash();
  // Links such as …#teach switch tabs without a reload.
  window.addEventListener('hashchange', fromHash);
}

setupTabs();
setupLiveView();
void import('./teach-view').then((m) => m.setupTeachView());
void import('./analyze-view').then((m) => m.setupAnalyzeView());
// Choose the backend at load so the badge is right before the camera starts.
void inference().call(async () => undefined).catch((err: unknown) => {
  const badge = document.getElementById('backend-badge');
  if (badge) badge.textContent = `backend: failed (${err instanceof Error ? err.message : String(err)})`;
});

/** A small debug surface for e2e tests and benchmarks (no secrets; same calls the UI makes). */
Object.assign(globalThis, {
  emotionLens: {
    memory: () => inference().call((w) => w.memory()),
    status: () => inference().call((w) => w.status()),
    /** Fault injection: kills the inference worker (the bridge restarts it on the next call). */
    killWorker: () => inference().terminate(),
    /** Fault injection: destroys the WebGPU device (the worker falls back to wasm). */
    loseDevice: () => inference().call((w) => w.debugLoseDevice()),
    restarts: () => inference().restarts,
    /** Face/prosody/worker timings of the running live session (null before the first reading). */
    liveStats: () => liveStats,
    predictSegments: (...args: Parameters<import('../fusion/worker-api').InferenceApi['predictSegments']>) =>
      inference().call((w) => w.predictSegments(...args)),
    predictReasoner: (inputs: Parameters<import('../fusion/worker-api').InferenceApi['predictReasoner']>[0]) =>
      inference().call((w) => w.predictReasoner(inputs)),
  },
});
