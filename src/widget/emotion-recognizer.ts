/**
 * <emotion-recognizer>: the recognizer as one custom element (shadow DOM, themable with --er-* properties).
 *   <script type="module" src=".../emotion-recognizer.js"></script>   (or the classic emotion-recognizer.iife.js)
 *   <emotion-recognizer mode="camera" modalities="face,voice" priors="local"></emotion-recognizer>
 * Attributes: mode (camera|file), modalities, priors (off|local|proxy), proxy-url, backend (webgpu|wasm|cpu),
 * models-base, compact, labels (which labels to show as bars). Events: ready, emotion (one per segment), error
 * ({code, message}). Methods: start() (camera; needs a user gesture — the built-in button is one), stop(),
 * analyze(file). The camera never starts on its own.
 */
import * as Comlink from 'comlink';
import { WorkerBridge } from '../bridge/worker-bridge';
import { parseBackend, type TfBackendName } from '../env';
import { createFaceBridge } from '../face/live-face';
import type { FaceApi } from '../face/worker-api';
import { importBundle } from '../finetune/bundle';
import type { ModelArtifacts } from '../finetune/types';
import type { SegmentResult } from '../fusion/engine';
import type { InferenceApi, InferenceStatus } from '../fusion/worker-api';
import type { PriorMode } from '../priors/client';
import { MODALITIES, type Modality } from '../shared/labels';
import { mediaError, modelsBaseUrl, WidgetError, type WidgetErrorCode } from './assets';
import { startLiveSession } from '../ui/live-session';
import { WIDGET_CSS } from './styles';

export interface EmotionEventDetail {
  source: 'camera' | 'file';
  start: number;
  end: number;
  label: string;
  confidence: number;
  probs: Record<string, number>;
  valence: number;
  arousal: number;
  contributions: Record<Modality, number>;
  predictor: 'reasoner' | 'fusion';
  backend: string;
}

export interface ErrorEventDetail {
  code: WidgetErrorCode | 'gesture-required';
  message: string;
}

const TEMPLATE = `
  <div class="stage camera"><video part="video" playsinline muted></video></div>
  <div class="controls camera">
    <button type="button" class="start" part="start-button">Start camera</button>
    <button type="button" class="stop secondary" disabled>Stop</button>
  </div>
  <div class="controls file">
    <input type="file" class="file-input" accept="video/*,audio/*" aria-label="Video or audio file to analyse" />
  </div>
  <p class="label" part="label" aria-hidden="true">—</p>
  <p class="sr-only live" role="status" aria-live="polite" aria-atomic="true"></p>
  <div class="bars" part="bars" role="list" aria-label="Emotion probabilities"></div>
  <p class="meta"></p>
  <p class="status" role="status"></p>`;

/** Time of the last trusted user action on the page (a transient-activation window like the browser's). */
let lastGestureAt = -Infinity;
const GESTURE_WINDOW_MS = 5000;
for (const type of ['pointerdown', 'pointerup', 'click', 'keydown', 'touchend']) {
  document.addEventListener(type, (e) => {
    if (e.isTrusted) lastGestureAt = performance.now();
  }, { capture: true, passive: true });
}
function hadRecentGesture(): boolean {
  return performance.now() - lastGestureAt < GESTURE_WINDOW_MS;
}

/** A transferable copy of a model's weights (the original stays with the element for a worker restart). */
function artifactsCopy(model: ModelArtifacts): ModelArtifacts {
  const weights = model.weights.slice(0);
  return Comlink.transfer({ metadata: model.metadata, weights }, [weights]);
}

export class EmotionRecognizerElement extends HTMLElement {
  static observedAttributes = ['labels', 'models-base', 'backend', 'model'];
  private root: ShadowRoot;
  private inferenceBridge: WorkerBridge<InferenceApi> | null = null;
  private faceBridge: WorkerBridge<FaceApi> | null = null;
  private readyPromise: Promise<InferenceStatus> | null = null;
  /** A fine-tuned model from the `model` attribute (a Teach export), re-applied if the worker restarts. */
  private customModel: ModelArtifacts | null = null;
  private session: { stop(): void } | null = null;
  private stream: MediaStream | null = null;
  /** Typed or recognised text for the text branch (camera mode). */
  transcript = '';
  lastEmotion: EmotionEventDetail | null = null;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = `<style>${WIDGET_CSS}</style>${TEMPLATE}`;
    this.q<HTMLButtonElement>('.start').addEventListener('click', () => void this.start().catch(() => undefined));
    this.q<HTMLButtonElement>('.stop').addEventListener('click', () => this.stop());
    const input = this.q<HTMLInputElement>('.file-input');
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void this.analyze(file).catch(() => undefined);
    });
  }

  private q<T extends Element>(sel: string): T {
    return this.root.querySelector<T>(sel)!;
  }

  connectedCallback(): void {
    if (!this.hasAttribute('mode')) this.setAttribute('mode', 'camera');
    // Models and backend load on connect; the camera does not.
    void this.whenReady().catch(() => undefined);
  }

  disconnectedCallback(): void {
    this.stop();
    this.inferenceBridge?.terminate();
    this.faceBridge?.terminate();
    this.inferenceBridge = null;
    this.faceBridge = null;
    this.readyPromise = null;
  }

  attributeChangedCallback(name: string): void {
    if (name === 'labels' && this.lastEmotion) this.render(this.lastEmotion);
    if ((name === 'models-base' || name === 'backend' || name === 'model') && this.readyPromise) {
      this.customModel = null;
      this.disconnectedCallback();
      if (this.isConnected) void this.whenReady().catch(() => undefined);
    }
  }

  get modelsBase(): string {
    return modelsBaseUrl(this.getAttribute('models-base'));
  }

  get modalities(): Set<Modality> {
    const attr = this.getAttribute('modalities');
    const list = attr ? attr.split(',').map((m) => m.trim()) : [...MODALITIES];
    return new Set(MODALITIES.filter((m) => list.includes(m)));
  }

  get priors(): PriorMode {
    const p = this.getAttribute('priors');
    return p === 'off' || p === 'proxy' ? p : 'local';
  }

  private get backend(): TfBackendName | undefined {
    return parseBackend(this.getAttribute('backend'));
  }

  private inference(): WorkerBridge<InferenceApi> {
    const modelsBase = this.modelsBase;
    const backend = this.backend;
    this.inferenceBridge ??= new WorkerBridge<InferenceApi>({
      create: () => new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'emotion-recognizer-inference' }),
      onStart: async (remote) => {
        await remote.init({ backend, modelsBase });
        if (this.customModel) await remote.useFusionModel(artifactsCopy(this.customModel));
      },
      onCrash: (reason) => this.fail('worker', `The inference worker stopped (${reason}); it restarts on the next segment.`),
    });
    return this.inferenceBridge;
  }

  private face(): WorkerBridge<FaceApi> {
    this.faceBridge ??= createFaceBridge({ modelUrl: `${this.modelsBase}face_landmarker.task`, keepLandmarks: false });
    return this.faceBridge;
  }

  /** Resolves when the backend and models are loaded (fires `ready` once). */
  whenReady(): Promise<InferenceStatus> {
    this.readyPromise ??= (async () => {
      this.setStatus('loading models…');
      try {
        let status = await this.inference().call((w) => w.status());
        if (!status) throw new Error('the inference worker did not start');
        const modelUrl = this.getAttribute('model');
        if (modelUrl) {
          // A model exported from Teach (one .emotion-model.json file): checksum, schema and labels are checked
          // before it replaces the base model. A refused file is a `model-load` error and no `ready` fires: the page
          // asked for that model, so the widget does not quietly answer with another.
          const res = await fetch(new URL(modelUrl, document.baseURI));
          if (!res.ok) throw new Error(`the model file ${modelUrl} answered HTTP ${res.status}`);
          const model = importBundle(await res.text());
          // useFusionModel throws on a schema or weight mismatch (fusionModelFromArtifacts) and keeps the base model.
          const models = await this.inference().call((w) => w.useFusionModel(artifactsCopy(model)));
          this.customModel = model;
          status = { ...status, models };
        }
        this.setStatus(`ready · ${status.backend}`);
        this.q('.meta').textContent = `backend ${status.backend} · ${status.models.fusion === 'loaded' ? `fusion ${status.models.fusionVersion ?? ''}` : 'local reasoner'}`;
        this.dispatchEvent(new CustomEvent('ready', { detail: { backend: status.backend, models: status.models, fallbackReasons: status.fallbackReasons } }));
        return status;
      } catch (err) {
        this.readyPromise = null;
        throw this.fail('model-load', `Models could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    return this.readyPromise;
  }

  /** Opens the camera and microphone and emits one `emotion` per second. Call from a user gesture. */
  async start(): Promise<void> {
    if (this.session) return;
    if (!hadRecentGesture()) {
      throw this.fail('gesture-required', 'start() must be called from a user action (a click or key press); the camera never starts on its own.');
    }
    if (!navigator.mediaDevices?.getUserMedia) throw this.fail('unsupported', 'This browser cannot open a camera here (getUserMedia needs https or localhost).');
    const startBtn = this.q<HTMLButtonElement>('.start');
    startBtn.disabled = true;
    const wantsAudio = this.modalities.has('voice');
    // getUserMedia first, inside the gesture; models load meanwhile.
    const ready = this.whenReady();
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: wantsAudio }).catch(async (err: unknown) => {
        if (!wantsAudio || (err instanceof DOMException && err.name === 'NotAllowedError')) throw err;
        return navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      });
    } catch (err) {
      startBtn.disabled = false;
      const e = mediaError(err);
      throw this.fail(e.code, e.message);
    }
    try {
      const video = this.q<HTMLVideoElement>('video');
      video.srcObject = this.stream;
      await video.play();
      await ready;
      this.setStatus('running');
      this.session = await startLiveSession({
        video,
        stream: this.stream,
        modalities: this.modalities,
        priors: () => this.priors,
        proxyUrl: this.getAttribute('proxy-url') ?? undefined,
        inference: this.inference(),
        face: this.face(),
        transcript: () => this.transcript,
        person: 'widget',
        onReading: (r) => this.emit(r, 'camera'),
        onError: (e) => this.fail('worker', e.message),
      });
      this.q<HTMLButtonElement>('.stop').disabled = false;
    } catch (err) {
      this.stop();
      throw err instanceof WidgetError ? err : this.fail('worker', `The recognizer could not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  stop(): void {
    this.session?.stop();
    this.session = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    const video = this.root.querySelector<HTMLVideoElement>('video');
    if (video) video.srcObject = null;
    this.q<HTMLButtonElement>('.start').disabled = false;
    this.q<HTMLButtonElement>('.stop').disabled = true;
    if (this.readyPromise) this.setStatus('stopped');
  }

  /** Analyses a video or audio file (the app's file-analysis pipeline) and emits one `emotion` per segment. */
  async analyze(file: File): Promise<EmotionEventDetail[]> {
    if (!(file instanceof Blob) || !/^(video|audio)\//.test(file.type || '') && !/\.(mp4|webm|mov|mkv|wav|mp3|flac|ogg|m4a)$/i.test(file.name)) {
      throw this.fail('bad-file', `${file?.name ?? 'This'} is not a video or audio file.`);
    }
    this.setStatus(`analysing ${file.name}…`);
    const { analyzeFile } = await import('../analysis/pipeline');
    // The widget's own engines: its backend attribute and models-base, not the host page's app defaults.
    await this.whenReady();
    try {
      const run = await analyzeFile(
        { media: file },
        { priors: this.priors !== 'off' },
        { onProgress: (p) => this.setStatus(p.message), engines: { inference: this.inference(), faceModelUrl: `${this.modelsBase}face_landmarker.task` } },
      );
      const out = run.result.segments.map((s) => this.emit({ ...s, probs: s.probs as Record<string, number>, backend: run.result.backend }, 'file'));
      this.setStatus(`analysed ${out.length} segments`);
      return out;
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw this.fail(code === 'worker' ? 'worker' : 'bad-file', `${file.name} could not be analysed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private emit(r: Pick<SegmentResult, 'start' | 'end' | 'label' | 'confidence' | 'probs' | 'valence' | 'arousal' | 'contributions' | 'predictor' | 'backend'>, source: 'camera' | 'file'): EmotionEventDetail {
    const detail: EmotionEventDetail = {
      source,
      start: r.start,
      end: r.end,
      label: r.label,
      confidence: r.confidence,
      probs: r.probs,
      valence: r.valence,
      arousal: r.arousal,
      contributions: r.contributions,
      predictor: r.predictor,
      backend: r.backend,
    };
    this.lastEmotion = detail;
    this.render(detail);
    this.dispatchEvent(new CustomEvent('emotion', { detail }));
    return detail;
  }

  private render(d: EmotionEventDetail): void {
    this.q('.label').textContent = d.label;
    const live = this.q('.live');
    const text = d.label === 'no signal' ? 'No face or voice detected' : `${d.label}, ${(d.confidence * 100).toFixed(0)} percent`;
    if (live.textContent !== text) live.textContent = text;
    const shown = this.getAttribute('labels')?.split(',').map((l) => l.trim()).filter(Boolean);
    const bars = this.q('.bars');
    bars.replaceChildren();
    for (const [name, p] of Object.entries(d.probs)) {
      if (shown && !shown.includes(name)) continue;
      const label = document.createElement('span');
      label.textContent = name;
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.setAttribute('role', 'listitem');
      bar.setAttribute('aria-label', `${name} ${(p * 100).toFixed(0)}%`);
      const fill = document.createElement('span');
      fill.style.width = `${(p * 100).toFixed(1)}%`;
      bar.append(fill);
      const value = document.createElement('span');
      value.textContent = (p * 100).toFixed(0);
      bars.append(label, bar, value);
    }
  }

  private setStatus(text: string, kind: 'ok' | 'error' = 'ok'): void {
    const s = this.q('.status');
    s.textContent = text;
    s.setAttribute('data-kind', kind);
  }

  private fail(code: ErrorEventDetail['code'], message: string): WidgetError {
    this.setStatus(message, 'error');
    this.dispatchEvent(new CustomEvent<ErrorEventDetail>('error', { detail: { code, message } }));
    return new WidgetError(code === 'gesture-required' ? 'unsupported' : code, message);
  }
}

if (!customElements.get('emotion-recognizer')) customElements.define('emotion-recognizer', EmotionRecognizerElement);

declare global {
  interface HTMLElementTagNameMap {
    'emotion-recognizer': EmotionRecognizerElement;
  }
}
