/**
 * The Teach view: label clips (recorded or loaded), fine-tune the fusion model in a worker with BDCL, watch the
 * losses, per-label F1 and the embedding move, then keep, roll back, export or import models. Training works on
 * a copy: the live model changes only when a finished model has been saved.
 */
import * as Comlink from 'comlink';
import { requestedBackend } from '../env';
import { createFinetuneBridge } from '../finetune/client';
import { DEFAULT_FINETUNE_SETTINGS, type Checkpoint, type EpochReport, type FineTuneResult, type TeachSample } from '../finetune/types';
import { LABELS } from '../shared/labels';
import { clipFromFile, TeachRecorder } from './teach-clips';
import { CLASS_COLOURS, drawEmbedding, LossChart, renderF1 } from './teach-charts';
import { ModelPanel } from './teach-models';
import './teach-view.css';

const RECORD_SECONDS = 3;

const TEMPLATE = `
  <div class="teach-grid">
    <section class="teach-card" aria-labelledby="teach-h-labels">
      <h2 id="teach-h-labels">1. Labels</h2>
      <label>Label set (comma-separated; the default is the base model's six)
        <input id="teach-labels" type="text" autocomplete="off" /></label>
      <button id="teach-labels-apply" type="button">Use these labels</button>
      <button id="teach-labels-default" type="button">Default six</button>
      <p class="small-print">A new label set gets a new classifier head; the face/voice/text encoders are kept.</p>
    </section>
    <section class="teach-card" aria-labelledby="teach-h-clips">
      <h2 id="teach-h-clips">2. Clips</h2>
      <label>Label for new clips <select id="teach-label"></select></label>
      <div class="teach-camera">
        <video id="teach-video" playsinline muted></video>
        <div>
          <button id="teach-camera" type="button">Start camera &amp; microphone</button>
          <button id="teach-record" type="button" disabled>Record ${RECORD_SECONDS} s</button>
          <span id="teach-camera-status" class="state"></span>
        </div>
      </div>
      <label class="inline">Or load clips (images, audio, video)
        <input id="teach-files" type="file" multiple accept="image/*,audio/*,video/*,.wav,.flac,.mp3" /></label>
      <p id="teach-counts" aria-live="polite"></p>
      <ul id="teach-clips" class="clip-list"></ul>
    </section>
    <section class="teach-card" aria-labelledby="teach-h-train">
      <h2 id="teach-h-train">3. Train</h2>
      <p id="teach-base" class="small-print"></p>
      <label>Epochs <input id="teach-epochs" type="number" min="1" max="500" value="${DEFAULT_FINETUNE_SETTINGS.epochs}" /></label>
      <button id="teach-train" type="button" class="primary" disabled>Train</button>
      <button id="teach-cancel" type="button" disabled>Cancel</button>
      <button id="teach-resume" type="button" disabled>Resume</button>
      <progress id="teach-progress" max="1" value="0" aria-label="Training progress"></progress>
      <p id="teach-status" role="status" aria-live="polite"></p>
      <p id="teach-accuracy" class="teach-accuracy" data-before="" data-after=""></p>
      <div id="teach-loss"></div>
      <div id="teach-f1"></div>
      <div class="teach-embed">
        <canvas id="teach-embed-before" width="280" height="220" role="img"></canvas>
        <canvas id="teach-embed-after" width="280" height="220" role="img"></canvas>
      </div>
    </section>
    <section class="teach-card" id="teach-models" aria-label="Models"></section>
  </div>`;

export function setupTeachView(): void {
  const host = document.getElementById('view-teach');
  if (!host) return;
  host.innerHTML = TEMPLATE;
  const $ = <T extends HTMLElement>(id: string) => host.querySelector<T>(`#${id}`)!;
  const backend = requestedBackend();
  const finetune = createFinetuneBridge(backend);
  const fusionBaseUrl = new URL(`${import.meta.env.BASE_URL}models/fusion/`, location.href).href;
  const models = new ModelPanel($('teach-models'));
  void models.open();

  let labels: string[] = [...LABELS];
  let clips: TeachSample[] = [];
  let checkpoint: Checkpoint | null = null;
  let training: AbortController | null = null;
  let recorder: TeachRecorder | null = null;
  let chart: LossChart | null = null;
  let lastResult: FineTuneResult | null = null;

  const status = (text: string, kind: 'ok' | 'error' = 'ok') => {
    $('teach-status').textContent = text;
    $('teach-status').dataset.kind = kind;
  };

  const renderLabels = () => {
    $<HTMLInputElement>('teach-labels').value = labels.join(', ');
    const select = $<HTMLSelectElement>('teach-label');
    select.replaceChildren(...labels.map((l, i) => new Option(l, String(i))));
  };

  const renderClips = () => {
    const list = $('teach-clips');
    list.replaceChildren(
      ...clips.map((c) => {
        const li = document.createElement('li');
        li.dataset.label = labels[c.label];
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = CLASS_COLOURS[c.label % CLASS_COLOURS.length];
        const text = document.createElement('span');
        text.textContent = `${labels[c.label]} — ${c.source} (${[c.face && 'face', c.voice && 'voice'].filter(Boolean).join(' + ')})`;
        const del = document.createElement('button');
        del.type = 'button';
        del.textContent = 'Remove';
        del.setAttribute('aria-label', `Remove clip ${c.source}`);
        del.addEventListener('click', () => {
          clips = clips.filter((x) => x !== c);
          checkpoint = null;
          renderClips();
        });
        li.append(swatch, text, ' ', del);
        return li;
      }),
    );
    const counts = labels.map((l, i) => `${l}: ${clips.filter((c) => c.label === i).length}`);
    $('teach-counts').textContent = `${clips.length} clips — ${counts.join(' · ')}`;
    $('teach-counts').dataset.total = String(clips.length);
    $<HTMLButtonElement>('teach-train').disabled = training !== null || clips.length === 0;
  };

  const setLabels = (next: string[]) => {
    const clean = next.map((l) => l.trim()).filter(Boolean);
    if (clean.length < 2 || new Set(clean.map((l) => l.toLowerCase())).size !== clean.length) {
      status('A label set needs at least two distinct names.', 'error');
      return;
    }
    if (clean.join('\n') !== labels.join('\n') && clips.length) status(`Label set changed: ${clips.length} clips were cleared.`);
    if (clean.join('\n') !== labels.join('\n')) {
      clips = [];
      checkpoint = null;
    }
    labels = clean;
    renderLabels();
    renderClips();
  };

  $('teach-labels-apply').addEventListener('click', () => setLabels($<HTMLInputElement>('teach-labels').value.split(',')));
  $('teach-labels-default').addEventListener('click', () => setLabels([...LABELS]));

  $('teach-camera').addEventListener('click', async () => {
    const button = $<HTMLButtonElement>('teach-camera');
    if (recorder) {
      recorder.stop();
      recorder = null;
      button.textContent = 'Start camera & microphone';
      $<HTMLButtonElement>('teach-record').disabled = true;
      return;
    }
    button.disabled = true;
    try {
      recorder = await TeachRecorder.start($<HTMLVideoElement>('teach-video'), (s) => ($('teach-camera-status').textContent = s));
      button.textContent = 'Stop camera';
      $<HTMLButtonElement>('teach-record').disabled = false;
    } catch (err) {
      status(`The camera could not start: ${err instanceof Error ? err.message : String(err)}`, 'error');
    } finally {
      button.disabled = false;
    }
  });

  $('teach-record').addEventListener('click', async () => {
    if (!recorder) return;
    const button = $<HTMLButtonElement>('teach-record');
    button.disabled = true;
    const label = Number($<HTMLSelectElement>('teach-label').value);
    $('teach-camera-status').textContent = `recording ${RECORD_SECONDS} s as "${labels[label]}"…`;
    try {
      const clip = await recorder.record(RECORD_SECONDS, label);
      if (!clip.face && !clip.voice) status('Nothing usable was recorded (no face, no voice).', 'error');
      else clips = [...clips, clip];
      renderClips();
    } finally {
      button.disabled = false;
    }
  });

  $<HTMLInputElement>('teach-files').addEventListener('change', async () => {
    const input = $<HTMLInputElement>('teach-files');
    const files = [...(input.files ?? [])];
    input.value = '';
    const label = Number($<HTMLSelectElement>('teach-label').value);
    const failed: string[] = [];
    for (const [i, file] of files.entries()) {
      status(`Reading ${file.name} (${i + 1}/${files.length})…`);
      try {
        clips = [...clips, await clipFromFile(file, label, finetune)];
        renderClips();
      } catch (err) {
        failed.push(err instanceof Error ? err.message : String(err));
      }
    }
    status(failed.length ? `Skipped ${failed.length} file(s): ${failed.join('; ')}` : `Added ${files.length} clip(s) as "${labels[label]}".`, failed.length ? 'error' : 'ok');
  });

  const showResult = (result: FineTuneResult) => {
    const before = result.before.metrics.accuracy;
    const after = result.after.metrics.accuracy;
    const acc = $('teach-accuracy');
    acc.dataset.before = before.toFixed(4);
    acc.dataset.after = after.toFixed(4);
    acc.textContent = `Held-out accuracy on your clips: ${(before * 100).toFixed(0)}% before → ${(after * 100).toFixed(0)}% after (${result.after.metrics.n} clips)`;
    renderF1($('teach-f1'), labels, result.after.metrics, result.before.metrics);
    drawEmbedding($<HTMLCanvasElement>('teach-embed-before'), result.before, labels, 'Embeddings before');
    drawEmbedding($<HTMLCanvasElement>('teach-embed-after'), result.after, labels, 'Embeddings after');
  };

  const train = async (resume: boolean) => {
    const epochs = Math.max(1, Math.min(500, Number($<HTMLInputElement>('teach-epochs').value) || DEFAULT_FINETUNE_SETTINGS.epochs));
    training = new AbortController();
    const signal = training.signal;
    $<HTMLButtonElement>('teach-train').disabled = true;
    $<HTMLButtonElement>('teach-resume').disabled = true;
    $<HTMLButtonElement>('teach-cancel').disabled = false;
    const history: EpochReport[] = resume && checkpoint ? [...checkpoint.history] : [];
    chart ??= new LossChart($('teach-loss'));
    chart.update(history);
    const progress = $<HTMLProgressElement>('teach-progress');
    const onEpoch = (report: EpochReport, cp: Checkpoint | null) => {
      if (signal.aborted) return; // a report already in flight when the worker was terminated
      history.push(report);
      if (cp) checkpoint = cp;
      chart!.update(history);
      progress.value = report.epoch / epochs;
      renderF1($('teach-f1'), labels, report.val);
      status(`Epoch ${report.epoch}/${epochs}: loss ${report.loss.total.toFixed(3)} · held-out accuracy ${(report.val.accuracy * 100).toFixed(0)}%`);
      $('teach-status').dataset.epoch = String(report.epoch);
    };
    try {
      const request = {
        labels,
        samples: clips,
        settings: { ...DEFAULT_FINETUNE_SETTINGS, epochs },
        resume: resume ? checkpoint : null,
        fusionBaseUrl,
        backend,
      };
      const result = await finetune.call((w) => w.train(request, Comlink.proxy(onEpoch)), { signal });
      lastResult = result;
      checkpoint = null;
      showResult(result);
      await models.save(result.model);
      status(`Trained ${epochs} epochs in ${(result.ms / 1000).toFixed(1)} s on ${result.backend}; saved and live.`);
      $('teach-status').dataset.done = 'true';
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        status(checkpoint ? `Cancelled. Resume continues from epoch ${checkpoint.epoch}; the live model is unchanged.` : 'Cancelled; the live model is unchanged.');
      } else {
        status(`Training failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
      }
    } finally {
      training = null;
      $<HTMLButtonElement>('teach-cancel').disabled = true;
      $<HTMLButtonElement>('teach-resume').disabled = !checkpoint;
      renderClips();
    }
  };

  $('teach-train').addEventListener('click', () => {
    checkpoint = null;
    void train(false);
  });
  $('teach-resume').addEventListener('click', () => void train(true));
  $('teach-cancel').addEventListener('click', () => {
    training?.abort();
  });

  renderLabels();
  renderClips();
  void finetune
    .call((w) => w.base(fusionBaseUrl))
    .then((b) => {
      $('teach-base').textContent = b.trained
        ? `Starts from the base model ${b.version}.`
        : `${b.problem ? `The deployed base model cannot be used (${b.problem})` : 'No trained base model is deployed'}: fine-tuning starts from an untrained network and learns from your clips alone.`;
    })
    .catch((err: unknown) => status(`The fine-tune worker could not start: ${err instanceof Error ? err.message : String(err)}`, 'error'));

  /** Debug surface for e2e tests (same calls the UI makes). */
  Object.assign(globalThis, {
    emotionLensTeach: {
      clipCount: () => clips.length,
      memory: () => finetune.call((w) => w.memory()),
      lastResult: () => (lastResult ? { ms: lastResult.ms, backend: lastResult.backend, numTensors: lastResult.numTensors, history: lastResult.history.map((h) => h.loss), before: lastResult.before.metrics, after: lastResult.after.metrics } : null),
      checkpointEpoch: () => checkpoint?.epoch ?? null,
      workerRestarts: () => finetune.restarts,
      /** One custom-head fine-tune step on each backend, each in a fresh fine-tune worker. */
      backendCheck: async () => {
        const out = [];
        for (const b of ['webgpu', 'wasm', 'cpu'] as const) {
          const bridge = createFinetuneBridge(b);
          try {
            out.push({ requested: b, ...(await bridge.call((w) => w.stepCheck())) });
          } catch (err) {
            out.push({ requested: b, error: err instanceof Error ? err.message : String(err) });
          } finally {
            bridge.terminate();
          }
        }
        return out;
      },
    },
  });
}
