/**
 * Getting labelled clips for the Teach view: recorded from the webcam + microphone (the live pipeline: face worker,
 * prosody AudioWorklet, 2 s windows) or loaded from files (images → face, audio → voice, video → both).
 * Every clip becomes a TeachSample of RAW branch vectors; calibration and standardisation happen in the trainer.
 */
import type { WorkerBridge } from '../bridge/worker-bridge';
import { createFaceBridge, startLiveFace, type LiveFace } from '../face/live-face';
import type { FaceApi } from '../face/worker-api';
import { faceWindowVector } from '../fusion/features';
import type { FinetuneApi } from '../finetune/worker-api';
import type { TeachSample } from '../finetune/types';
import { summarizeFaceFrames } from '../priors/summary';
import type { FaceFrame, ProsodyWindow, SegmentSummary } from '../shared/types';
import { SpeakerBaseline, voiceSummary } from '../voice/calibration';
import { decodeAudioFile } from '../voice/decode';
import { startMicProsody } from '../voice/live';
import { voiceSegmentVector } from '../fusion/features';
import * as Comlink from 'comlink';

/** All clips of one Teach session are one person: calibration uses their statistics together. */
export const TEACH_PERSON = 'teach';

let nextId = 0;
const clipId = () => `c${Date.now().toString(36)}${(nextId++).toString(36)}`;

/** The camera + microphone while the Teach view records. */
export class TeachRecorder {
  private frames: FaceFrame[] = [];
  private windows: ProsodyWindow[] = [];
  private recording: { frames: FaceFrame[]; windows: ProsodyWindow[] } | null = null;
  private baseline = new SpeakerBaseline();
  private constructor(
    private readonly stream: MediaStream,
    private readonly video: HTMLVideoElement,
    private readonly face: LiveFace,
    private readonly mic: { stop(): void } | null,
  ) {}

  /** Opens the camera (call from a click). */
  static async start(video: HTMLVideoElement, onStatus: (s: string) => void): Promise<TeachRecorder> {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true }).catch(() =>
      navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } }),
    );
    video.srcObject = stream;
    video.muted = true;
    await video.play();
    let recorder: TeachRecorder | null = null;
    const face = await startLiveFace(video, {
      onFrame: (f) => {
        recorder?.recording?.frames.push(f);
        onStatus(f.present ? 'face found' : 'no face in view');
      },
    });
    let mic: { stop(): void } | null = null;
    if (stream.getAudioTracks().length) {
      mic = await startMicProsody(stream, { windowSec: 2, hopSec: 1 }, (w) => {
        if (!recorder) return;
        if (w.voicedFraction > 0.05) recorder.baseline.update(w);
        recorder.recording?.windows.push(w);
      }).catch(() => null);
    }
    recorder = new TeachRecorder(stream, video, face, mic);
    return recorder;
  }

  /** Records `seconds` and returns the clip (face and voice of that span). */
  async record(seconds: number, label: number): Promise<TeachSample> {
    this.recording = { frames: [], windows: [] };
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const { frames, windows } = this.recording;
    this.recording = null;
    const face = faceWindowVector(frames);
    const voice = voiceSegmentVector(windows);
    const best = [...windows].sort((a, b) => b.voicedFraction - a.voicedFraction)[0];
    const summary: SegmentSummary = {
      start: 0,
      end: seconds,
      face: frames.some((f) => f.present) ? summarizeFaceFrames(frames) : null,
      voice: best && best.voicedFraction > 0.05 ? voiceSummary(best, this.baseline) : null,
    };
    return { id: clipId(), label, face, voice, text: null, summary, person: TEACH_PERSON, source: `recorded ${seconds} s` };
  }

  stop(): void {
    this.face.stop();
    this.mic?.stop();
    for (const t of this.stream.getTracks()) t.stop();
    this.video.srcObject = null;
  }
}

let faceBridge: WorkerBridge<FaceApi> | null = null;
let faceClock = 0;

async function detectFaces(bitmaps: ImageBitmap[]): Promise<FaceFrame[]> {
  faceBridge ??= createFaceBridge();
  const out: FaceFrame[] = [];
  for (const b of bitmaps) {
    faceClock += 1000; // VIDEO mode wants increasing timestamps
    const t = faceClock;
    out.push(await faceBridge.call((w) => w.detect(Comlink.transfer(b, [b]), t)));
  }
  return out;
}

async function videoFrames(file: File, count = 3): Promise<ImageBitmap[]> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.src = url;
  try {
    await new Promise<void>((resolve, reject) => {
      video.onloadeddata = () => resolve();
      video.onerror = () => reject(new Error(`${file.name}: the browser cannot play this video`));
    });
    const out: ImageBitmap[] = [];
    for (let i = 1; i <= count; i++) {
      video.currentTime = (video.duration * i) / (count + 1);
      await new Promise((r) => (video.onseeked = r));
      out.push(await createImageBitmap(video));
    }
    return out;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** One clip from a file: image (face), audio (voice) or video (both). Throws a readable error. */
export async function clipFromFile(file: File, label: number, finetune: WorkerBridge<FinetuneApi>): Promise<TeachSample> {
  const kind = file.type.split('/')[0] || (/\.(wav|flac|mp3|ogg|m4a)$/i.test(file.name) ? 'audio' : /\.(png|jpe?g|webp)$/i.test(file.name) ? 'image' : 'video');
  let frames: FaceFrame[] = [];
  let voice: Float32Array | null = null;
  let voiceSum: SegmentSummary['voice'] = null;
  if (kind === 'image') {
    frames = await detectFaces([await createImageBitmap(file)]);
  } else {
    if (kind === 'video') frames = await detectFaces(await videoFrames(file)).catch(() => []);
    try {
      const audio = await decodeAudioFile(file);
      const out = await finetune.call((w) => w.voiceClip(Comlink.transfer(audio.samples, [audio.samples.buffer]), audio.sampleRate));
      voice = out.voice;
      voiceSum = out.summary;
    } catch (err) {
      if (kind === 'audio') throw err;
    }
  }
  const face = faceWindowVector(frames);
  if (!face && !voice) throw new Error(`${file.name}: no face and no voice found`);
  const summary: SegmentSummary = { start: 0, end: 0, face: face ? summarizeFaceFrames(frames) : null, voice: voiceSum };
  return { id: clipId(), label, face, voice, text: null, summary, person: TEACH_PERSON, source: file.name };
}
