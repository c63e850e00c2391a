/**
 * The live webcam demo: face (worker) + voice (AudioWorklet) + typed transcript → one reading per second,
 * computed in the inference worker. Every state a person can meet is shown: no permission, no face, no audio.
 */
import { AU_DESCRIPTIONS, AU_NAMES } from '../face/au';
import type { CalibrationStatus } from '../fusion/calibration';
import type { SegmentResult } from '../fusion/engine';
import type { PriorMode } from '../priors/client';
import { LABELS, MODALITIES } from '../shared/labels';
import type { Prior } from '../shared/types';
import { renderBars } from './bars';
import { inference } from './engine';
import { clearNotice, showNotice } from './notices';
import { HOP_MS, startLiveSession } from './live-session';
import { drawLandmarks } from './overlay';
import { VoiceTrace } from './trace';
/** Calibration key of the person in front of the camera. */
const PERSON = 'live';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Latest live pipeline timings, for benchmarks (read through the debug surface). */
export let liveStats: Record<string, unknown> | null = null;

export interface LiveSession {
  stop(): void;
}

function describeMediaError(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'Camera/microphone permission was denied. Allow access in the browser and press Start again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found on this device.';
  if (name === 'NotReadableError') return 'The camera is in use by another application.';
  return `Could not open the camera: ${err instanceof Error ? err.message : String(err)}`;
}

async function openMedia(): Promise<{ stream: MediaStream; audio: boolean }> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser cannot open a camera (getUserMedia is missing; the page must be served over https or localhost).');
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true }), audio: true };
  } catch (err) {
    if (err instanceof DOMException && err.name === 'NotAllowedError') throw err;
    // A camera without a microphone still gives a face-only reading.
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
    return { stream, audio: false };
  }
}

export function setupLiveView(): void {
  const video = $<HTMLVideoElement>('live-video');
  const overlay = $<HTMLCanvasElement>('live-overlay');
  const startBtn = $<HTMLButtonElement>('live-start');
  const stopBtn = $<HTMLButtonElement>('live-stop');
  const state = $('live-state');
  const trace = new VoiceTrace($<HTMLCanvasElement>('voice-trace'));
  let session: LiveSession | null = null;

  renderBars($('emotion-bars'), LABELS.map((l) => ({ name: l, value: 0 })));
  renderBars($('au-bars'), AU_NAMES.map((au) => ({ name: au, label: `${au} ${AU_DESCRIPTIONS[au]}`, value: 0 })));
  renderBars($('text-bars'), LABELS.map((l) => ({ name: l, value: 0 })));

  startBtn.disabled = false; // enabled only once the handlers below are attached
  const setState = (s: string, text: string) => {
    state.dataset.state = s;
    state.textContent = text;
  };

  startBtn.addEventListener('click', async () => {
    startBtn.disabled = true;
    setState('starting', 'starting…');
    try {
      session = await startSession({ video, overlay, trace, setState });
      stopBtn.disabled = false;
      $('live-placeholder').hidden = true;
      setState('running', 'running');
    } catch (err) {
      setState('error', describeMediaError(err));
      showNotice('camera', describeMediaError(err), 'error');
      startBtn.disabled = false;
    }
  });
  stopBtn.addEventListener('click', () => {
    session?.stop();
    session = null;
    stopBtn.disabled = true;
    startBtn.disabled = false;
    $('live-placeholder').hidden = false;
    setState('idle', 'stopped');
  });
}

function renderReading(r: SegmentResult): void {
  // A fine-tuned model may have its own label set: draw whatever labels the model answered with.
  renderBars($('emotion-bars'), Object.entries(r.probs).map(([name, value]) => ({ name, value })));
  const label = $('emotion-label');
  label.textContent = r.label;
  label.dataset.label = r.label === 'no signal' ? '' : r.label;
  $('contributions').textContent =
    MODALITIES.map((m) => `${m} ${(r.contributions[m] * 100).toFixed(0)}%`).join(' · ') +
    ` · valence ${r.valence.toFixed(2)} · arousal ${r.arousal.toFixed(2)}`;
  $('rationale').textContent = r.rationale;
  $('predictor-name').textContent = r.predictor === 'fusion' ? '(fusion model)' : '(local reasoner: fusion model not loaded)';
  if (r.text) renderBars($('text-bars'), LABELS.map((l, i) => ({ name: l, value: r.text!.scores[i] })));
}

function renderPrior(prior: Prior | null): void {
  const el = $('prior-info');
  el.dataset.source = prior?.source ?? '';
  el.textContent = prior
    ? `Prior (${prior.source === 'gemini' ? `Gemini ${prior.model}` : 'local reasoner'}, ${prior.latencyMs.toFixed(0)} ms): ${prior.label} — ${prior.rationale}`
    : 'Priors are off.';
}

function renderCalibration(status: CalibrationStatus | null): void {
  const el = $('calibration-status');
  el.dataset.ready = String(!!status?.ready);
  el.textContent = status
    ? `calibration: ${status.ready ? 'ready' : 'learning'} (face ${status.windows.face}, voice ${status.windows.voice} windows)`
    : 'calibration: none (population statistics)';
}

async function startSession(ui: {
  video: HTMLVideoElement;
  overlay: HTMLCanvasElement;
  trace: VoiceTrace;
  setState: (s: string, text: string) => void;
}): Promise<LiveSession> {
  const { stream, audio } = await openMedia();
  clearNotice('camera');
  ui.video.srcObject = stream;
  await ui.video.play();
  void inference().call(async () => undefined); // start choosing the backend while MediaPipe loads

  const faceStatus = $('face-status');
  const voiceStatus = $('voice-status');
  const priorsMode = $<HTMLSelectElement>('priors-mode');
  const perf = $('perf');
  const hopFrames = Math.round((HOP_MS / 1000) * 100); // 10 ms LLD frames per hop

  const session = await startLiveSession({
    video: ui.video,
    stream,
    inference: inference(),
    priors: () => priorsMode.value as PriorMode,
    // `?face=main` runs the landmarker on the main thread instead of the face worker (for the benchmark).
    faceMode: new URLSearchParams(location.search).get('face') === 'main' ? 'main' : 'worker',
    transcript: () => ($('live-transcript') as HTMLTextAreaElement).value,
    person: PERSON,
    onFrame: (frame) => {
      drawLandmarks(ui.overlay, ui.video, frame.present ? frame.landmarks : undefined);
      faceStatus.textContent = frame.present ? `face found (${(frame.ms ?? 0).toFixed(1)} ms/frame)` : 'no face in view';
      faceStatus.dataset.state = frame.present ? 'ok' : 'none';
      if (frame.present) {
        renderBars($('au-bars'), AU_NAMES.map((au, i) => ({ name: au, label: `${au} ${AU_DESCRIPTIONS[au]}`, value: frame.aus[i] })));
        const p = frame.pose;
        $('head-pose').textContent = `head yaw ${p.yaw.toFixed(0)}°  pitch ${p.pitch.toFixed(0)}°  roll ${p.roll.toFixed(0)}°`;
      }
    },
    onWindow: (w) => {
      ui.trace.push(w.f0Hz.subarray(Math.max(0, w.f0Hz.length - hopFrames)), w.loudness.subarray(Math.max(0, w.loudness.length - hopFrames)));
      const voiced = Array.from(w.f0Hz).filter((f) => f > 0);
      const meanF0 = voiced.length ? voiced.reduce((a, b) => a + b, 0) / voiced.length : 0;
      const meanLoud = w.loudness.reduce((a, b) => a + b, 0) / Math.max(1, w.loudness.length);
      const speaking = w.voicedFraction > 0.05;
      voiceStatus.textContent = speaking ? `voice (${Math.round(w.voicedFraction * 100)}% voiced)` : 'silence';
      voiceStatus.dataset.state = speaking ? 'ok' : 'silent';
      $('voice-values').textContent = `pitch ${meanF0 ? `${meanF0.toFixed(0)} Hz` : '—'}  loudness ${meanLoud.toFixed(2)}`;
    },
    onReading: (r, { prior, workerMs }) => {
      clearNotice('predict');
      renderReading(r);
      renderPrior(prior);
      void inference()
        .call((w) => w.calibrationStatus(PERSON))
        .then(renderCalibration, () => undefined);
      const fs = session.faceStats();
      const prosodyMs = session.prosodyMsPerWindow();
      const face = fs
        ? `face ${fs.meanDetectMs.toFixed(1)} ms/frame (round trip ${fs.meanRoundTripMs.toFixed(1)} ms, ${fs.processed} analysed, ${fs.dropped} dropped) · `
        : '';
      const prosody = prosodyMs !== null ? ` · prosody ${prosodyMs.toFixed(0)} ms/window` : '';
      perf.textContent = `${face}worker ${workerMs.toFixed(2)} ms/reading on ${r.backend}${prosody}`;
      liveStats = { ...fs, prosodyMsPerWindow: prosodyMs, workerMsPerReading: workerMs, backend: r.backend, lastReading: r };
    },
    onError: (e, where) => {
      if (where === 'face') showNotice('face', `Face tracking failed: ${e.message}`, 'error');
      else if (where === 'voice') showNotice('audio', e.message, 'error');
      else showNotice('predict', `Prediction failed: ${e.message}`, 'error');
    },
  });
  if (!audio || !session.voice) {
    voiceStatus.textContent = 'no audio: microphone unavailable, face and text only';
    showNotice('audio', 'No microphone: the reading uses face and text only.', 'info');
  }

  const calibrationReset = $<HTMLButtonElement>('calibration-reset');
  const onCalibrationReset = () => {
    void inference().call((w) => w.resetCalibration(PERSON));
    renderCalibration(null);
  };
  calibrationReset.disabled = false;
  calibrationReset.addEventListener('click', onCalibrationReset);

  return {
    stop() {
      session.stop();
      calibrationReset.removeEventListener('click', onCalibrationReset);
      calibrationReset.disabled = true;
      for (const t of stream.getTracks()) t.stop();
      ui.video.srcObject = null;
      drawLandmarks(ui.overlay, ui.video, undefined);
      ui.trace.clear();
    },
  };
}
