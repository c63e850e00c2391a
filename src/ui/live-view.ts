/**
 * The live webcam demo: face (worker) + voice (AudioWorklet) + typed transcript → one reading per second,
 * computed in the inference worker. Every state a person can meet is shown: no permission, no face, no audio.
 */
import { AU_DESCRIPTIONS, AU_NAMES } from '../face/au';
import { startLiveFace, type LiveFace } from '../face/live-face';
import type { SegmentRequest, SegmentResult } from '../fusion/engine';
import { faceWindowVector, voiceSegmentVector } from '../fusion/features';
import type { CalibrationStatus } from '../fusion/calibration';
import { createPriorClient, type PriorMode } from '../priors/client';
import { summarizeFaceFrames } from '../priors/summary';
import { LABELS, MODALITIES } from '../shared/labels';
import type { FaceFrame, Prior, ProsodyWindow, SegmentSummary } from '../shared/types';
import { SpeakerBaseline, voiceSummary } from '../voice/calibration';
import { startMicProsody } from '../voice/live';
import { renderBars } from './bars';
import { inference } from './engine';
import { clearNotice, showNotice } from './notices';
import { drawLandmarks } from './overlay';
import { VoiceTrace } from './trace';

/** Seconds of face frames summarised per reading (the same 2 s window as the voice branch). */
const WINDOW_SEC = 2;
/** One reading per second. */
const HOP_MS = 1000;
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

  const faceFrames: FaceFrame[] = [];
  let lastFace: FaceFrame | null = null;
  const faceStatus = $('face-status');
  // `?face=main` runs the landmarker on the main thread instead of the face worker (for the benchmark).
  const faceMode = new URLSearchParams(location.search).get('face') === 'main' ? 'main' : 'worker';
  const live: LiveFace = await startLiveFace(ui.video, {
    mode: faceMode,
    onFrame: (frame) => {
      lastFace = frame;
      faceFrames.push(frame);
      while (faceFrames.length && faceFrames[0].time < frame.time - WINDOW_SEC) faceFrames.shift();
      drawLandmarks(ui.overlay, ui.video, frame.present ? frame.landmarks : undefined);
      faceStatus.textContent = frame.present ? `face found (${(frame.ms ?? 0).toFixed(1)} ms/frame)` : 'no face in view';
      faceStatus.dataset.state = frame.present ? 'ok' : 'none';
      if (frame.present) {
        renderBars($('au-bars'), AU_NAMES.map((au, i) => ({ name: au, label: `${au} ${AU_DESCRIPTIONS[au]}`, value: frame.aus[i] })));
        const p = frame.pose;
        $('head-pose').textContent = `head yaw ${p.yaw.toFixed(0)}°  pitch ${p.pitch.toFixed(0)}°  roll ${p.roll.toFixed(0)}°`;
      }
    },
    onError: (e) => showNotice('face', `Face tracking failed: ${e.message}`, 'error'),
  });

  const baseline = new SpeakerBaseline();
  const prosodyMs = { count: 0, total: 0 };
  let lastVoice: ProsodyWindow | null = null;
  const voiceStatus = $('voice-status');
  let mic: { stop(): void } | null = null;
  if (audio && stream.getAudioTracks().length) {
    try {
      const onAnalysisTime = (ms: number) => {
        prosodyMs.count++;
        prosodyMs.total += ms;
      };
      mic = await startMicProsody(stream, { windowSec: WINDOW_SEC, hopSec: HOP_MS / 1000, onAnalysisTime }, (w) => {
        lastVoice = w;
        const hop = Math.round((HOP_MS / 1000) * 100);
        ui.trace.push(w.f0Hz.subarray(Math.max(0, w.f0Hz.length - hop)), w.loudness.subarray(Math.max(0, w.loudness.length - hop)));
        if (w.voicedFraction > 0.05) baseline.update(w);
        const voiced = Array.from(w.f0Hz).filter((f) => f > 0);
        const meanF0 = voiced.length ? voiced.reduce((a, b) => a + b, 0) / voiced.length : 0;
        const meanLoud = w.loudness.reduce((a, b) => a + b, 0) / Math.max(1, w.loudness.length);
        voiceStatus.textContent = w.voicedFraction > 0.05 ? `voice (${Math.round(w.voicedFraction * 100)}% voiced)` : 'silence';
        voiceStatus.dataset.state = w.voicedFraction > 0.05 ? 'ok' : 'silent';
        $('voice-values').textContent = `pitch ${meanF0 ? `${meanF0.toFixed(0)} Hz` : '—'}  loudness ${meanLoud.toFixed(2)}`;
      });
    } catch (err) {
      showNotice('audio', `Microphone analysis could not start: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  } else {
    voiceStatus.textContent = 'no audio: microphone unavailable, face and text only';
    showNotice('audio', 'No microphone: the reading uses face and text only.', 'info');
  }

  const priorsMode = $<HTMLSelectElement>('priors-mode');
  let priors = createPriorClient({ mode: priorsMode.value as PriorMode });
  const onPriorsChange = () => {
    priors.dispose();
    priors = createPriorClient({ mode: priorsMode.value as PriorMode });
  };
  priorsMode.addEventListener('change', onPriorsChange);
  const calibrationReset = $<HTMLButtonElement>('calibration-reset');
  const onCalibrationReset = () => {
    void inference().call((w) => w.resetCalibration(PERSON));
    renderCalibration(null);
  };
  calibrationReset.disabled = false;
  calibrationReset.addEventListener('click', onCalibrationReset);

  let busy = false;
  const perf = $('perf');
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = lastFace?.time ?? performance.now() / 1000;
      const recent = faceFrames.filter((f) => f.time >= now - WINDOW_SEC);
      const transcript = ($('live-transcript') as HTMLTextAreaElement).value.trim();
      const voiced = lastVoice && lastVoice.voicedFraction > 0.05 ? lastVoice : null;
      const summary: SegmentSummary = {
        start: now - WINDOW_SEC,
        end: now,
        face: recent.some((f) => f.present) ? summarizeFaceFrames(recent) : null,
        voice: voiced ? voiceSummary(voiced, baseline) : null,
        text: null,
      };
      // The prior sees the text model's scores too, as the seed's MLLM sees the subtitle.
      if (transcript) {
        const [reading] = await inference().call((w) => w.readTexts([transcript]));
        summary.text = { transcript, scores: reading ? Object.fromEntries(LABELS.map((l, i) => [l, reading.scores[i]])) : undefined };
      }
      const prior = await priors.prior(summary);
      const request: SegmentRequest = {
        start: summary.start,
        end: summary.end,
        summary,
        face: faceWindowVector(recent),
        voice: voiced ? voiceSegmentVector([voiced]) : null,
        transcript: transcript || null,
        prior,
        person: PERSON,
      };
      const { results, ms } = await inference().call((w) => w.predictSegments([request], { calibration: 'running', priors: priorsMode.value !== 'off' }));
      const r = results[0];
      renderReading(r);
      renderPrior(prior);
      renderCalibration(await inference().call((w) => w.calibrationStatus(PERSON)));
      const fs = live.stats();
      const prosody = prosodyMs.count ? ` · prosody ${(prosodyMs.total / prosodyMs.count).toFixed(0)} ms/window` : '';
      perf.textContent = `face ${fs.meanDetectMs.toFixed(1)} ms/frame (round trip ${fs.meanRoundTripMs.toFixed(1)} ms, ${fs.processed} analysed, ${fs.dropped} dropped) · worker ${ms.toFixed(2)} ms/reading on ${r.backend}${prosody}`;
      liveStats = { ...fs, prosodyMsPerWindow: prosodyMs.count ? prosodyMs.total / prosodyMs.count : null, workerMsPerReading: ms, backend: r.backend };
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) {
        showNotice('predict', `Prediction failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, HOP_MS);

  return {
    stop() {
      clearInterval(timer);
      priorsMode.removeEventListener('change', onPriorsChange);
      calibrationReset.removeEventListener('click', onCalibrationReset);
      calibrationReset.disabled = true;
      priors.dispose();
      live.stop();
      mic?.stop();
      for (const t of stream.getTracks()) t.stop();
      ui.video.srcObject = null;
      drawLandmarks(ui.overlay, ui.video, undefined);
      ui.trace.clear();
    },
  };
}
