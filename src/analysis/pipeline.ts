/**
 * The in-browser file-analysis pipeline (one implementation: the Analyze tab and the batch CLI both call it).
 *   media file ─┬─ hidden <video> seeks at `fps` → ImageBitmap → face worker (MediaPipe, VIDEO mode, media time)
 *               │     → frames reduced per segment as they arrive (FaceSegmentReducer)
 *               ├─ decodeAudioData at 16 kHz → segment-aligned chunks → prosody worker → one window per segment
 *               └─ subtitles (.srt/.vtt) or the video's own text track → transcript per segment
 *   → SegmentRequests → inference worker `predictSegments` (text model, prior, whole-file calibration, fusion)
 * Face and audio run concurrently; every wait has a deadline; Cancel aborts every bridge call (terminating the
 * workers) and the result of a file that is only partly readable is marked `partial` with warnings.
 */
import * as Comlink from 'comlink';
import { WorkerBridge } from '../bridge/worker-bridge';
import { createFaceBridge } from '../face/live-face';
import type { InferenceApi } from '../fusion/worker-api';
import type { FaceFrame, ProsodyWindow } from '../shared/types';
import { parseSubtitles, type Cue } from '../text/subtitles';
import { cuesFromTextTrack } from '../text/texttrack';
import { inference } from '../ui/engine';
import { fileBaseline } from '../voice/calibration';
import { audioChunks } from './audio';
import { decodeAudioBuffer, NoAudioError } from '../voice/decode';
import { grabFrame, MediaOpenError, openMedia, type OpenedMedia } from './media';
import type { ProsodyApi } from './prosody-worker-api';
import { FaceSegmentReducer, sampleTimes, segmentRequest, segmentSpans, toAnalysisSegment, transcriptFor, type SegmentEvidence } from './segments';
import { ANALYSIS_SCHEMA_VERSION, DEFAULT_ANALYSIS_OPTIONS, OPTION_LIMITS, type AnalysisOptions, type AnalysisResult, type AnalysisWarning, type LandmarkTrack } from './types';

export interface AnalysisInput {
  media: File;
  /** Optional .srt or .vtt transcript. */
  subtitles?: File | null;
}

export interface AnalysisProgress {
  stage: 'opening' | 'analysing' | 'reading' | 'done';
  /** 0..1 */
  fraction: number;
  message: string;
  elapsedSec: number;
  /** Seconds left, once it can be estimated. */
  etaSec: number | null;
}

export interface AnalysisRun {
  result: AnalysisResult;
  /** Landmarks of analysed frames for the scrubbing overlay. */
  landmarks: LandmarkTrack;
  diagnostics: {
    framesAnalysed: number;
    frameFailures: number;
    meanDetectMs: number;
    /** Mean time to seek and grab one frame on the main thread, ms. */
    meanSeekMs: number;
    /** Peak performance.memory.usedJSHeapSize of the page during the run (bytes; Chromium only, else null). */
    peakHeapBytes: number | null;
    startHeapBytes: number | null;
  };
}

/** A failure with a stable code and a message meant for people. */
export class AnalysisError extends Error {
  override name = 'AnalysisError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Consecutive unreadable frames after which the rest of the video is given up (partial result). */
const MAX_CONSECUTIVE_FRAME_FAILURES = 3;
/** Face detections in flight while the next frame is being sought (keeps both threads busy). */
const DETECT_PIPELINE_DEPTH = 2;

function heapBytes(): number | null {
  const m = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return m ? m.usedJSHeapSize : null;
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

function clampOption(v: number | undefined, fallback: number, [lo, hi]: readonly [number, number], name: string): number {
  const x = v ?? fallback;
  if (!Number.isFinite(x) || x < lo || x > hi) throw new AnalysisError('bad-option', `${name} must be between ${lo} and ${hi} (got ${v})`);
  return x;
}

function createProsodyBridge(): WorkerBridge<ProsodyApi> {
  return new WorkerBridge<ProsodyApi>({
    create: () => new Worker(new URL('./prosody.worker.ts', import.meta.url), { type: 'module', name: 'prosody' }),
  });
}

async function readSubtitles(file: File, warnings: AnalysisWarning[]): Promise<Cue[]> {
  const parsed = parseSubtitles(await file.text(), file.name);
  if (parsed.errors.length) {
    warnings.push({ code: 'subtitle-errors', message: `${parsed.errors.length} subtitle cue(s) in ${file.name} could not be read and were skipped (first: line ${parsed.errors[0].line}, ${parsed.errors[0].message}).` });
  }
  if (parsed.cues.length === 0) warnings.push({ code: 'subtitles-empty', message: `${file.name} has no readable cues; no transcript was used.` });
  return parsed.cues;
}

/**
 * Analyses one media file. Resolves with the result (possibly `partial`), rejects with AnalysisError for files
 * that cannot be analysed at all, or with an AbortError after `signal` aborts.
 */
export async function analyzeFile(
  input: AnalysisInput,
  options: AnalysisOptions = {},
  control: {
    signal?: AbortSignal;
    onProgress?: (p: AnalysisProgress) => void;
    /** Engines of an embedder (the widget: its own backend and models-base); default the app's shared ones. */
    engines?: { inference?: WorkerBridge<InferenceApi>; faceModelUrl?: string };
  } = {},
): Promise<AnalysisRun> {
  const t0 = performance.now();
  const { signal, onProgress } = control;
  const fps = clampOption(options.fps, DEFAULT_ANALYSIS_OPTIONS.fps, OPTION_LIMITS.fps, 'fps');
  const segmentSec = clampOption(options.segmentSec, DEFAULT_ANALYSIS_OPTIONS.segmentSec, OPTION_LIMITS.segmentSec, 'segmentSec');
  const priors = options.priors ?? DEFAULT_ANALYSIS_OPTIONS.priors;
  const seekTimeoutMs = (options.seekTimeoutSec ?? DEFAULT_ANALYSIS_OPTIONS.seekTimeoutSec) * 1000;
  const maxLandmarkFrames = options.maxLandmarkFrames ?? DEFAULT_ANALYSIS_OPTIONS.maxLandmarkFrames;
  const { media: file } = input;
  const warnings: AnalysisWarning[] = [];
  const stages: Record<string, number> = {};
  const startHeap = heapBytes();
  let peakHeap = startHeap;
  const sampleHeap = () => {
    const h = heapBytes();
    if (h !== null && (peakHeap === null || h > peakHeap)) peakHeap = h;
  };
  const report = (stage: AnalysisProgress['stage'], fraction: number, message: string) => {
    const elapsedSec = (performance.now() - t0) / 1000;
    const etaSec = fraction > 0.002 && elapsedSec > 2 && fraction < 1 ? (elapsedSec * (1 - fraction)) / fraction : fraction >= 1 ? 0 : null;
    onProgress?.({ stage, fraction, message, elapsedSec, etaSec });
  };

  if (file.size === 0) throw new AnalysisError('empty-file', `"${file.name}" is empty (0 bytes): there is nothing to analyse.`);
  report('opening', 0, `opening ${file.name}`);

  let media: OpenedMedia;
  try {
    media = await openMedia(file, signal);
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new AnalysisError('unreadable', `"${file.name}" could not be opened as audio or video: ${err instanceof Error ? err.message : String(err)}. Supported: mp4 (H.264/AAC), webm, mov where the browser decodes it, wav, mp3, ogg, m4a, flac.`);
  }
  stages.open = performance.now() - t0;

  const faceBridge = media.hasVideo ? createFaceBridge({ modelUrl: control.engines?.faceModelUrl }) : null;
  const prosodyBridge = createProsodyBridge();
  try {
    const duration = media.duration;
    const spans = segmentSpans(duration, segmentSec);
    let cues: Cue[] = [];
    let transcriptSource: AnalysisResult['transcriptSource'] = null;
    if (input.subtitles) {
      cues = await readSubtitles(input.subtitles, warnings);
      if (cues.length) transcriptSource = 'subtitle-file';
    } else {
      for (const track of Array.from(media.video.textTracks)) {
        const found = cuesFromTextTrack(track);
        if (found.length) {
          cues = found;
          transcriptSource = 'text-track';
          break;
        }
      }
    }

    // ---- progress bookkeeping shared by the concurrent face and audio tasks
    const times = media.hasVideo ? sampleTimes(duration, fps) : [];
    let framesDone = 0;
    let audioChunksDone = 0;
    let audioChunksTotal = Math.max(1, Math.ceil(duration / 30));
    let audioFinished = false;
    const progress = () => {
      const fv = times.length ? framesDone / times.length : 1;
      const fa = audioFinished ? 1 : audioChunksDone / audioChunksTotal;
      const wv = times.length ? 0.75 : 0;
      const f = (wv * fv + 0.25 * fa) / (wv + 0.25);
      const parts = [times.length ? `frames ${framesDone}/${times.length}` : 'no video track', audioFinished ? 'audio done' : `audio ${audioChunksDone}/${audioChunksTotal}`];
      report('analysing', 0.95 * f, parts.join(' · '));
      sampleHeap();
    };

    // ---- face task
    const reducer = new FaceSegmentReducer(spans);
    const landmarks: LandmarkTrack = { times: [], landmarks: [] };
    const landmarkStride = Math.max(1, Math.ceil(times.length / Math.max(1, maxLandmarkFrames)));
    let frameFailures = 0;
    let videoReadEnd = media.hasVideo ? duration : 0;
    let detectMs = 0;
    let seekMs = 0;
    let facesFound = 0;
    const faceTask = async () => {
      if (!faceBridge || times.length === 0) return;
      const tf0 = performance.now();
      try {
        await faceBridge.call(async () => undefined, { signal }); // starts the worker and loads the landmarker
      } catch (err) {
        if (isAbort(err)) throw err;
        warnings.push({ code: 'face-unavailable', message: `The face tracker could not start (${err instanceof Error ? err.message : String(err)}); no face analysis.` });
        framesDone = times.length;
        return;
      }
      stages.faceInit = performance.now() - tf0;
      const inflight: Promise<void>[] = [];
      let consecutive = 0;
      const accept = (frame: FaceFrame, k: number) => {
        framesDone++;
        detectMs += frame.ms ?? 0;
        if (frame.present) facesFound++;
        if (frame.present && frame.landmarks && k % landmarkStride === 0) {
          landmarks.times.push(frame.time);
          landmarks.landmarks.push(frame.landmarks);
        }
        reducer.add(frame);
        progress();
      };
      for (let k = 0; k < times.length; k++) {
        const t = times[k];
        let bitmap: ImageBitmap;
        try {
          const ts0 = performance.now();
          bitmap = await grabFrame(media, t, seekTimeoutMs, 640, signal);
          seekMs += performance.now() - ts0;
          consecutive = 0;
        } catch (err) {
          if (isAbort(err)) throw err;
          frameFailures++;
          consecutive++;
          framesDone++;
          if (consecutive >= MAX_CONSECUTIVE_FRAME_FAILURES || media.video.error) {
            videoReadEnd = Math.max(0, times[k - consecutive + 1] ?? t);
            warnings.push({ code: 'video-unreadable', message: `Video frames from ${videoReadEnd.toFixed(1)} s on could not be decoded (${err instanceof Error ? err.message : String(err)}); the face analysis stops there.` });
            break;
          }
          continue;
        }
        const timeMs = t * 1000;
        inflight.push(
          faceBridge.call((w) => w.detect(Comlink.transfer(bitmap, [bitmap]), timeMs), { signal }).then(
            (frame) => accept(frame, k),
            (err: unknown) => {
              if (isAbort(err)) throw err;
              // A frame the landmarker rejects (or a worker crash; the bridge restarts it) is skipped, not fatal.
              frameFailures++;
              framesDone++;
            },
          ),
        );
        if (inflight.length >= DETECT_PIPELINE_DEPTH) await inflight.shift();
      }
      await Promise.all(inflight);
      reducer.close();
      stages.frames = performance.now() - tf0;
    };

    // ---- audio task
    const voiceWindows = new Map<number, ProsodyWindow>();
    let hasAudio = false;
    let audioEnd = 0;
    const audioTask = async () => {
      const ta0 = performance.now();
      try {
        let track: AudioBuffer | null = await decodeAudioBuffer(file, { signal });
        stages.audioDecode = performance.now() - ta0;
        hasAudio = true;
        audioEnd = track.duration;
        audioChunksTotal = Math.max(1, Math.ceil(Math.min(duration, track.duration) / 30));
        for (const chunk of audioChunks(track, spans)) {
          const { samples, sampleRate, startTime } = chunk;
          const windows = await prosodyBridge.call(
            (w) => w.windows(Comlink.transfer({ samples, sampleRate, startTime, spans: chunk.spans.map(({ start, end }) => ({ start, end })) }, [samples.buffer])),
            { signal },
          );
          windows.forEach((win, i) => voiceWindows.set(chunk.spans[i].index, win));
          audioChunksDone++;
          progress();
        }
        track = null; // drop the decoded PCM before inference
        void track;
      } catch (err) {
        if (isAbort(err)) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        warnings.push({ code: 'no-audio', message: err instanceof NoAudioError ? `No audio analysed: ${reason}.` : `The audio analysis failed: ${reason}.` });
      } finally {
        audioFinished = true;
        stages.audio = performance.now() - ta0;
        progress();
      }
    };

    progress();
    await Promise.all([faceTask(), audioTask()]);
    media.close();

    // ---- coverage and warnings
    let partial = false;
    let coverageEnd = duration;
    if (media.hasVideo && videoReadEnd < duration - 1e-6) {
      partial = true;
      coverageEnd = Math.max(videoReadEnd, hasAudio ? Math.min(audioEnd, duration) : 0);
    } else if (!media.hasVideo && hasAudio && audioEnd < duration - segmentSec) {
      partial = true;
      coverageEnd = audioEnd;
    }
    if (!media.hasVideo) warnings.push({ code: 'no-video', message: 'The file has no video track: audio (and transcript) only, no face analysis.' });
    else if (framesDone > 0 && facesFound === 0) warnings.push({ code: 'no-face', message: 'No face was found in any analysed frame.' });
    if (hasAudio && [...voiceWindows.values()].every((w) => w.voicedFraction < 0.05)) {
      warnings.push({ code: 'no-speech', message: 'The audio is silent or has no voiced speech.' });
    }
    const kept = spans.filter((s) => s.start < coverageEnd - 1e-6);
    if (kept.length === 0) throw new AnalysisError('nothing-readable', `Nothing in "${file.name}" could be analysed: ${warnings.map((w) => w.message).join(' ')}`);

    // ---- inference
    report('reading', 0.95, 'reading segments');
    const ti0 = performance.now();
    const baseline = voiceWindows.size ? fileBaseline([...voiceWindows.values()]) : null;
    const evidence: SegmentEvidence[] = kept.map((span) => ({
      span,
      face: reducer.evidence.get(span.index) ?? null,
      voiceWindow: voiceWindows.get(span.index) ?? null,
      transcript: transcriptFor(cues, span),
    }));
    const requests = evidence.map((e, i) => segmentRequest(e, baseline, `file:${file.name}`, i > 0 ? evidence[i - 1].transcript ?? undefined : undefined));
    const engine = control.engines?.inference ?? inference();
    const { results } = await engine.call((w) => w.predictSegments(requests, { calibration: 'file', priors }), { signal });
    stages.inference = performance.now() - ti0;
    const segments = results.map((r, i) => toAnalysisSegment(evidence[i], requests[i], r));
    const faceMissing = segments.filter((s) => s.face && s.face.presence === 0).length;
    if (media.hasVideo && facesFound > 0 && faceMissing > 0) {
      warnings.push({ code: 'face-absent', message: `No face in ${faceMissing} of ${segments.length} segments (the face left the frame); those segments rely on voice and text.` });
    }
    sampleHeap();
    const totalMs = performance.now() - t0;
    report('done', 1, `analysed ${segments.length} segments in ${(totalMs / 1000).toFixed(1)} s`);
    return {
      result: {
        schemaVersion: ANALYSIS_SCHEMA_VERSION,
        file: { name: file.name, size: file.size, type: file.type, duration, hasVideo: media.hasVideo, hasAudio, ...(media.hasVideo ? { width: media.width, height: media.height } : {}) },
        options: { fps, segmentSec, priors },
        partial,
        warnings,
        transcriptSource,
        backend: results[0]?.backend ?? '',
        timing: { totalMs: Math.round(totalMs), stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Math.round(v)])), realTimeFactor: Math.round((duration / (totalMs / 1000)) * 100) / 100 },
        segments,
        createdAt: new Date().toISOString(),
      },
      landmarks,
      diagnostics: {
        framesAnalysed: framesDone - frameFailures,
        frameFailures,
        meanDetectMs: framesDone - frameFailures > 0 ? detectMs / (framesDone - frameFailures) : 0,
        meanSeekMs: framesDone - frameFailures > 0 ? seekMs / (framesDone - frameFailures) : 0,
        peakHeapBytes: peakHeap,
        startHeapBytes: startHeap,
      },
    };
  } finally {
    media.close();
    faceBridge?.terminate();
    prosodyBridge.terminate();
  }
}

export { MediaOpenError };
