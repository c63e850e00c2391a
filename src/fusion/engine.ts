/**
 * The segment engine inside the inference worker: the one path every surface (live demo, file analysis, widget)
 * uses to turn a segment's features into a reading.
 *   transcript → text model → text scores + embedding
 *   summary (+ text scores) → prior: the caller's (proxy/Gemini) or the local reasoner's (arXiv:2508.03722 §3.1)
 *   face/voice vectors → per-person calibration → fusion model (+ prior) → probabilities, valence/arousal, gates
 * Until the fusion model is available (or when it fails to load) the local reasoner is the predictor, run as tensors.
 */
import { LABELS, MODALITIES, type Modality } from '../shared/labels';
import type { EmotionPrediction, Prior, SegmentSummary, TextReading } from '../shared/types';
import { affectFromProbs } from '../priors/affect';
import { argmax, encodeSummary, reason } from '../priors/reasoner';
import { loadTextModel, type TextModel } from '../text/model';
import { PersonCalibration } from './calibration';
import { textVector } from './features';
import type { FusionModel } from './fusion-model';
import { loadFusionModel } from './load';
import { scoreReasonerBatch } from './reasoner-tensor';

export interface SegmentRequest {
  start: number;
  end: number;
  /** AU/prosody summary (reasoner and proxy input). Text is filled in by the engine from `transcript`. */
  summary: SegmentSummary;
  /** Raw face window vector (faceWindowVector), null when no face. */
  face: Float32Array | null;
  /** Raw voice segment vector (voiceSegmentVector), null when silent. */
  voice: Float32Array | null;
  transcript?: string | null;
  /** The previous utterance, for text models trained with context. */
  previousTranscript?: string;
  /** A prior from the proxy (Gemini or the server's reasoner); without one the local reasoner's prior is used. */
  prior?: Prior | null;
  /** Whose calibration state to use (live: 'live'; files: the file name). Default 'default'. */
  person?: string;
}

export interface SegmentOptions {
  /** 'running': update then apply the person's running statistics (live); 'file': fit all requests of a person
   * first (file analysis); 'none': population statistics only. Default 'running'. */
  calibration?: 'running' | 'file' | 'none';
  /** Use reasoning priors (default true). */
  priors?: boolean;
  /** Backend name to stamp on predictions. */
  backend?: string;
}

export interface SegmentResult extends EmotionPrediction {
  text: { scores: number[]; confidence: number } | null;
  branchProbs: Record<Modality, number[] | null>;
}

/** Text readings kept for reuse (live mode repeats one transcript; file analysis reads each cue once). */
const TEXT_READING_CACHE = 64;

export interface EngineStatus {
  text: 'loaded' | 'missing' | 'failed';
  fusion: 'loaded' | 'missing' | 'failed';
  textError?: string;
  fusionError?: string;
  fusionVersion?: string;
}

export interface EngineAssets {
  textBaseUrl: string;
  fusionBaseUrl: string;
}

export class SegmentEngine {
  private text: TextModel | null = null;
  private fusion: FusionModel | null = null;
  private calibrations = new Map<string, PersonCalibration>();
  status: EngineStatus = { text: 'missing', fusion: 'missing' };
  /** Recent text readings of the loaded text model, by (previous, text); cleared when the model changes. */
  private readonly textReadings = new Map<string, TextReading>();

  constructor(private readonly assets: EngineAssets) {}

  /** Loads the text and fusion models; a missing or invalid model is reported, never fatal. */
  async load(): Promise<EngineStatus> {
    const [text, fusion] = await Promise.allSettled([
      loadTextModel({ baseUrl: this.assets.textBaseUrl }),
      loadFusionModel({ baseUrl: this.assets.fusionBaseUrl }),
    ]);
    if (text.status === 'fulfilled') {
      this.text?.dispose();
      this.text = text.value;
      this.textReadings.clear();
      this.status.text = 'loaded';
    } else {
      this.status.text = 'failed';
      this.status.textError = String(text.reason instanceof Error ? text.reason.message : text.reason);
    }
    if (fusion.status === 'fulfilled') {
      this.setFusionModel(fusion.value);
    } else {
      this.status.fusion = 'failed';
      this.status.fusionError = String(fusion.reason instanceof Error ? fusion.reason.message : fusion.reason);
    }
    return this.status;
  }

  /** Swaps the fusion model (e.g. after fine-tuning or rollback); the previous one is disposed. */
  setFusionModel(model: FusionModel | null): void {
    if (this.fusion && this.fusion !== model) this.fusion.net.dispose();
    this.fusion = model;
    this.calibrations.clear();
    this.status.fusion = model ? 'loaded' : 'missing';
    this.status.fusionVersion = model?.metadata.version;
  }

  get fusionModel(): FusionModel | null {
    return this.fusion;
  }

  get textModel(): TextModel | null {
    return this.text;
  }

  calibration(person = 'default'): PersonCalibration | null {
    if (!this.fusion) return null;
    let c = this.calibrations.get(person);
    if (!c) {
      c = new PersonCalibration(this.fusion.metadata.calibration);
      this.calibrations.set(person, c);
    }
    return c;
  }

  /** Takes over another engine's per-person calibration state (backend switch without losing the session). */
  adoptCalibrations(other: SegmentEngine): void {
    for (const [person, c] of other.calibrations) this.calibrations.set(person, c);
  }

  resetCalibration(person?: string): void {
    if (person) this.calibrations.delete(person);
    else this.calibrations.clear();
  }

  /** Text readings for a batch of transcripts (empty ones → null). */
  async readTexts(texts: (string | null | undefined)[], previous?: (string | undefined)[]): Promise<(TextReading | null)[]> {
    const model = this.text;
    if (!model) return texts.map(() => null);
    // Live mode asks for the same typed transcript every tick (once for the prior, once for fusion): readings are a
    // pure function of (previous, text) for a loaded model, so recent ones are reused.
    const key = (i: number) => `${previous?.[i] ?? ''}\u0000${texts[i]}`;
    const out: (TextReading | null)[] = texts.map((t, i) => (t && t.trim() ? (this.textReadings.get(key(i)) ?? null) : null));
    const idx = texts.map((t, i) => (t && t.trim() && !out[i] ? i : -1)).filter((i) => i >= 0);
    const readings = idx.length ? await model.predict(idx.map((i) => texts[i]!), { previous: previous && idx.map((i) => previous[i]) }) : [];
    idx.forEach((i, k) => {
      out[i] = readings[k];
      if (model !== this.text) return; // the model was swapped while predicting
      this.textReadings.set(key(i), readings[k]);
      if (this.textReadings.size > TEXT_READING_CACHE) this.textReadings.delete(this.textReadings.keys().next().value!);
    });
    return out;
  }

  async predict(requests: SegmentRequest[], options: SegmentOptions = {}): Promise<SegmentResult[]> {
    if (requests.length === 0) return [];
    const usePriors = options.priors ?? true;
    const texts = await this.readTexts(
      requests.map((r) => r.transcript),
      requests.map((r) => r.previousTranscript),
    );
    const summaries: SegmentSummary[] = requests.map((r, i) => {
      const reading = texts[i];
      const transcript = r.transcript?.trim();
      return {
        ...r.summary,
        text: transcript
          ? { transcript, scores: reading ? Object.fromEntries(LABELS.map((l, k) => [l, reading.scores[k]])) : undefined }
          : null,
      };
    });
    const priors: (Prior | null)[] = requests.map((r, i) => (usePriors ? r.prior ?? reason(summaries[i]) : null));

    if (!this.fusion) return this.predictWithReasoner(requests, summaries, texts, priors, options);

    const mode = options.calibration ?? 'running';
    const calibrated = this.calibrate(requests, mode);
    const samples = requests.map((r, i) => ({
      face: calibrated[i].face,
      voice: calibrated[i].voice,
      text: texts[i] ? textVector(texts[i]!) : null,
      prior: priors[i]
        ? { scores: priors[i]!.scores, contributions: priors[i]!.contributions, confidence: priorConfidence(priors[i]!) }
        : null,
    }));
    const out = await this.fusion.predict(samples);
    // A fine-tuned model may have its own label set: names come from its metadata.
    const labels = this.fusion.metadata.labels;
    return out.map((p, i) => {
      const probs = Array.from(p.probs);
      const present = MODALITIES.filter((m) => samples[i][m]);
      const gateSum = present.reduce((a, m) => a + p.gates[m], 0);
      const contributions = Object.fromEntries(
        MODALITIES.map((m) => [m, present.includes(m) && gateSum > 0 ? p.gates[m] / gateSum : 0]),
      ) as Record<Modality, number>;
      const best = argmax(probs);
      return {
        start: requests[i].start,
        end: requests[i].end,
        probs: Object.fromEntries(labels.map((l, k) => [l, probs[k]])),
        label: present.length ? labels[best] : 'no signal',
        confidence: probs[best],
        valence: p.valence,
        arousal: p.arousal,
        contributions,
        rationale: priors[i]?.rationale ?? '',
        predictor: 'fusion',
        backend: options.backend ?? '',
        prior: priors[i] ?? undefined,
        text: texts[i] ? { scores: Array.from(texts[i]!.scores), confidence: texts[i]!.confidence } : null,
        branchProbs: Object.fromEntries(MODALITIES.map((m) => [m, p.branchProbs[m] ? Array.from(p.branchProbs[m]!) : null])) as Record<Modality, number[] | null>,
      };
    });
  }

  private calibrate(requests: SegmentRequest[], mode: 'running' | 'file' | 'none') {
    if (mode === 'file') {
      // Fit all of each person's windows first (per-speaker/per-face statistics over the whole file).
      const fresh = new Map<string, PersonCalibration>();
      for (const r of requests) {
        const key = r.person ?? 'default';
        let c = fresh.get(key);
        if (!c) fresh.set(key, (c = new PersonCalibration(this.fusion!.metadata.calibration)));
        c.update('face', r.face);
        c.update('voice', r.voice);
      }
      for (const [key, c] of fresh) this.calibrations.set(key, c);
      return requests.map((r) => {
        const c = fresh.get(r.person ?? 'default')!;
        return { face: c.apply('face', r.face), voice: c.apply('voice', r.voice) };
      });
    }
    return requests.map((r) => {
      const c = mode === 'none' ? new PersonCalibration(this.fusion!.metadata.calibration) : this.calibration(r.person)!;
      if (mode === 'running') {
        c.update('face', r.face);
        c.update('voice', r.voice);
      }
      return { face: c.apply('face', r.face), voice: c.apply('voice', r.voice) };
    });
  }

  private async predictWithReasoner(
    requests: SegmentRequest[],
    summaries: SegmentSummary[],
    texts: (TextReading | null)[],
    priors: (Prior | null)[],
    options: SegmentOptions,
  ): Promise<SegmentResult[]> {
    const inputs = summaries.map(encodeSummary);
    const outputs = await scoreReasonerBatch(inputs);
    return outputs.map((o, i) => {
      const probs = Array.from(o.probs);
      const best = argmax(probs);
      const observed = inputs[i].face || inputs[i].voice || inputs[i].text;
      const { valence, arousal } = affectFromProbs(probs);
      return {
        start: requests[i].start,
        end: requests[i].end,
        probs: Object.fromEntries(LABELS.map((l, k) => [l, probs[k]])),
        label: observed ? LABELS[best] : 'no signal',
        confidence: probs[best],
        valence,
        arousal,
        contributions: o.contributions,
        rationale: priors[i]?.rationale ?? reason(summaries[i]).rationale,
        predictor: 'reasoner',
        backend: options.backend ?? '',
        prior: priors[i] ?? undefined,
        text: texts[i] ? { scores: Array.from(texts[i]!.scores), confidence: texts[i]!.confidence } : null,
        branchProbs: { face: null, voice: null, text: texts[i] ? Array.from(texts[i]!.scores) : null },
      };
    });
  }

  dispose(): void {
    this.text?.dispose();
    this.fusion?.net.dispose();
    this.text = null;
    this.textReadings.clear();
    this.fusion = null;
  }
}

/** Confidence of a prior: its top score's margin over the runner-up, scaled by how much was observed. */
export function priorConfidence(prior: Prior): number {
  const s = LABELS.map((l) => prior.scores[l]).sort((a, b) => b - a);
  const observed = MODALITIES.reduce((a, m) => a + (prior.contributions[m] > 0 ? 1 : 0), 0) / MODALITIES.length;
  return Math.max(0, Math.min(1, (s[0] - s[1]) * 2)) * (0.5 + 0.5 * observed);
}
