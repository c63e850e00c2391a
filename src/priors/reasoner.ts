/**
 * The local FACS/prosody reasoner: a transparent, rule-based prior that scores the six MER2024 classes from AU
 * proxies, speaker-relative prosody and text scores. It is the offline stand-in for the seed paper's MLLM prior
 * (arXiv:2508.03722 §3.1: per-emotion scores + per-modality contributions + rationale) and the first live predictor.
 *
 * Everything here is linear in an encoded input (see `encodeSummary`), so the worker runs the identical weights as
 * tensors (src/fusion/reasoner-tensor.ts) and the server runs them in plain TypeScript.
 *
 * Face weights: EMFACS prototypes (Friesen & Ekman 1983), as tabulated in Lucey et al. 2010 (CK+), Table 2:
 *   happy = AU6 + AU12; sad = AU1 + AU4 + AU15 (+AU17); surprise = AU1 + AU2 + AU5 + AU26;
 *   fear (→ worried) = AU1 + AU2 + AU4 + AU5 + AU7 + AU20 + AU26; anger = AU4 + AU5 + AU7 + AU23/24.
 * Voice weights: direction of change relative to a speaker's neutral baseline from Scherer 2003 ("Vocal
 * communication of emotion", Speech Communication 40, Table 6) and Juslin & Laukka 2003: anger louder, tense
 * (shimmer up, HNR down) and not higher; fear/worry higher and unstable (jitter, F0 variability); sadness lower,
 * quieter, flatter, slower; joy higher, more variable, louder; surprise high and very variable.
 */
import { AU_DESCRIPTIONS, AU_NAMES, type AuName } from '../face/au';
import { LABELS, MODALITIES, type Label, type Modality } from '../shared/labels';
import type { Prior, SegmentSummary } from '../shared/types';

type ClassWeights = Partial<Record<string, number>>;

/** Face evidence: weight per AU proxy for each class. AU7 is weak everywhere because it rests high in MediaPipe. */
const FACE_WEIGHTS: Record<Label, ClassWeights & { bias?: number }> = {
  neutral: { bias: 0.6, AU1: -0.8, AU2: -0.8, AU4: -1.2, AU5: -0.8, AU6: -1.0, AU12: -1.4, AU15: -1.2, AU20: -1.0, AU26: -0.8, AU9: -1.0 },
  happy: { AU6: 1.6, AU12: 2.6, AU25: 0.3, AU15: -1.0, AU4: -0.8 },
  sad: { AU1: 1.2, AU4: 1.2, AU15: 2.0, AU17: 0.6, AU12: -1.5, AU5: -0.5 },
  surprise: { AU1: 1.0, AU2: 1.2, AU5: 1.4, AU26: 1.6, AU25: 0.4, AU4: -1.0, AU12: -0.5 },
  worried: { AU1: 1.0, AU2: 0.4, AU4: 1.0, AU5: 0.8, AU20: 1.6, AU7: 0.2, AU26: 0.3, AU12: -1.2 },
  angry: { AU4: 1.8, AU5: 0.4, AU7: 0.4, AU23_24: 1.4, AU9: 1.2, AU10: 0.8, AU12: -1.2, AU1: -0.6 },
};

/**
 * Encoded voice inputs, all speaker-relative and scaled to about unit spread.
 * Order matters: it is the column order of VOICE_WEIGHTS and of the tensor version.
 */
export const VOICE_INPUTS = [
  'f0Rel', 'f0Sd', 'loudRel', 'jitter', 'shimmer', 'hnr', 'rate', 'absF0Rel', 'absLoudRel',
] as const;

const VOICE_WEIGHTS: Record<Label, ClassWeights & { bias?: number }> = {
  neutral: { bias: 0.4, absF0Rel: -0.6, absLoudRel: -0.6, f0Sd: -0.3 },
  angry: { loudRel: 1.0, f0Rel: -0.2, shimmer: 0.4, hnr: -0.4, rate: 0.2 },
  happy: { f0Rel: 0.6, f0Sd: 0.6, loudRel: 0.3, hnr: 0.2 },
  sad: { f0Rel: -0.5, f0Sd: -0.6, loudRel: -0.7, rate: -0.5 },
  worried: { f0Rel: 0.7, jitter: 0.6, f0Sd: 0.2, loudRel: -0.2 },
  surprise: { f0Rel: 0.6, f0Sd: 0.8, loudRel: 0.3, rate: -0.1 },
};

/** How much each modality's evidence counts in the joint score. */
export const MODALITY_GAIN: Record<Modality, number> = { face: 1.0, voice: 0.8, text: 0.9 };
/** Text evidence = TEXT_GAIN · (p − 1/6): a text model's probabilities are already calibrated. */
const TEXT_GAIN = 3;
/** Softmax sharpness for the joint evidence. */
export const REASONER_SHARPNESS = 4;

function matrix(table: Record<Label, ClassWeights & { bias?: number }>, inputs: readonly string[]) {
  const weights = inputs.map((name) => LABELS.map((label) => table[label][name] ?? 0));
  const bias = LABELS.map((label) => table[label].bias ?? 0);
  return { weights, bias };
}

/** The reasoner's linear weights: weights[input][class], bias[class]. Shared by the tensor version. */
export const REASONER_WEIGHTS = {
  face: matrix(FACE_WEIGHTS, AU_NAMES),
  voice: matrix(VOICE_WEIGHTS, VOICE_INPUTS),
  textGain: TEXT_GAIN,
  gain: MODALITY_GAIN,
  sharpness: REASONER_SHARPNESS,
} as const;

/** Numeric encoding of a summary; null marks a missing modality (never zeros that pretend to be data). */
export interface ReasonerInput {
  face: Float32Array | null;
  voice: Float32Array | null;
  text: Float32Array | null;
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
const finiteOr = (v: number | undefined, fallback: number) => (v !== undefined && Number.isFinite(v) ? v : fallback);

/** Turns a SegmentSummary into the reasoner's numeric inputs. Unknown voice measures count as "at baseline". */
export function encodeSummary(summary: SegmentSummary): ReasonerInput {
  let face: Float32Array | null = null;
  if (summary.face && summary.face.presence > 0) {
    face = new Float32Array(AU_NAMES.length);
    AU_NAMES.forEach((au, i) => {
      face![i] = clamp(finiteOr(summary.face!.auMean[au], 0), 0, 1);
    });
  }
  let voice: Float32Array | null = null;
  const v = summary.voice;
  if (v && v.voicedFraction > 0.05) {
    const f0Rel = clamp(finiteOr(v.f0RelSemitones, 0) / 3, -2, 2);
    const loudRel = clamp(finiteOr(v.loudnessRelDb, 0) / 6, -2, 2);
    voice = Float32Array.from([
      f0Rel,
      clamp((finiteOr(v.f0SdSemitones, 2) - 2) / 2, -2, 2),
      loudRel,
      clamp((finiteOr(v.jitterPct, 1.5) - 1.5) / 1.5, -2, 2),
      clamp((finiteOr(v.shimmerDb, 0.8) - 0.8) / 0.5, -2, 2),
      clamp((finiteOr(v.hnrDb, 10) - 10) / 5, -2, 2),
      clamp((finiteOr(v.syllableRate, 3) - 3) / 2, -2, 2),
      Math.abs(f0Rel),
      Math.abs(loudRel),
    ]);
  }
  let text: Float32Array | null = null;
  const scores = summary.text?.scores;
  if (summary.text && scores && LABELS.some((l) => Number.isFinite(scores[l]))) {
    text = Float32Array.from(LABELS.map((l) => clamp(finiteOr(scores[l], 0), 0, 1)));
  }
  return { face, voice, text };
}

function linear(input: ArrayLike<number>, m: { weights: number[][]; bias: number[] }): number[] {
  const out = m.bias.slice();
  for (let i = 0; i < input.length; i++) {
    const row = m.weights[i];
    for (let c = 0; c < out.length; c++) out[c] += input[i] * row[c];
  }
  return out;
}

/** Per-modality class evidence (null when the modality is missing). */
export function modalityEvidence(input: ReasonerInput): Record<Modality, number[] | null> {
  return {
    face: input.face ? linear(input.face, REASONER_WEIGHTS.face) : null,
    voice: input.voice ? linear(input.voice, REASONER_WEIGHTS.voice) : null,
    text: input.text ? Array.from(input.text, (p) => TEXT_GAIN * (p - 1 / LABELS.length)) : null,
  };
}

export interface ReasonerOutput {
  probs: Float32Array;
  contributions: Record<Modality, number>;
  evidence: Record<Modality, number[] | null>;
}

/** Scores the six classes; with no modality at all the result is uniform with zero contributions. */
export function scoreReasoner(input: ReasonerInput): ReasonerOutput {
  const evidence = modalityEvidence(input);
  const joint = new Array<number>(LABELS.length).fill(0);
  for (const m of MODALITIES) {
    const e = evidence[m];
    if (e) for (let c = 0; c < joint.length; c++) joint[c] += MODALITY_GAIN[m] * e[c];
  }
  const max = Math.max(...joint);
  const exp = joint.map((z) => Math.exp(REASONER_SHARPNESS * (z - max)));
  const sum = exp.reduce((a, b) => a + b, 0);
  const probs = Float32Array.from(exp, (e) => e / sum);
  return { probs, contributions: contributionsFor(evidence, argmax(probs)), evidence };
}

/**
 * Contribution of each present modality to the winning class: its gained evidence margin for that class over its
 * own mean, floored at a small share so a present modality never reads as 0. Absent modalities are exactly 0.
 */
export function contributionsFor(evidence: Record<Modality, number[] | null>, winner: number): Record<Modality, number> {
  const raw: Record<Modality, number> = { face: 0, voice: 0, text: 0 };
  let total = 0;
  for (const m of MODALITIES) {
    const e = evidence[m];
    if (!e) continue;
    const mean = e.reduce((a, b) => a + b, 0) / e.length;
    raw[m] = Math.max(0, MODALITY_GAIN[m] * (e[winner] - mean)) + 0.05;
    total += raw[m];
  }
  if (total > 0) for (const m of MODALITIES) raw[m] /= total;
  return raw;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

const fmt = (v: number, digits = 2) => v.toFixed(digits);

/** One-line rationale naming the strongest AUs, prosodic cues and the transcript, like the seed's MLLM trace. */
export function rationaleFor(summary: SegmentSummary, input: ReasonerInput, label: Label): string {
  const parts: string[] = [];
  if (input.face) {
    const top = AU_NAMES.map((au, i) => ({ au, v: input.face![i] }))
      .filter((a) => a.au !== 'AU45' && a.v >= 0.15)
      .sort((a, b) => b.v - a.v)
      .slice(0, 3);
    parts.push(
      top.length
        ? `face: ${top.map((a) => `${a.au} ${AU_DESCRIPTIONS[a.au as AuName]} ${fmt(a.v)}`).join(', ')}`
        : 'face: relaxed, no strong AU',
    );
  } else parts.push('face: not visible');
  const v = summary.voice;
  if (input.voice && v) {
    const cues: string[] = [];
    if (v.f0RelSemitones !== undefined) cues.push(`pitch ${v.f0RelSemitones >= 0 ? '+' : ''}${fmt(v.f0RelSemitones, 1)} st`);
    if (v.f0SdSemitones !== undefined) cues.push(`pitch sd ${fmt(v.f0SdSemitones, 1)} st`);
    if (v.loudnessRelDb !== undefined) cues.push(`loudness ${v.loudnessRelDb >= 0 ? '+' : ''}${fmt(v.loudnessRelDb, 1)} dB`);
    if (v.jitterPct !== undefined) cues.push(`jitter ${fmt(v.jitterPct, 1)}%`);
    parts.push(`voice: ${cues.join(', ') || 'voiced'}`);
  } else parts.push('voice: silent');
  if (summary.text?.transcript) {
    const t = summary.text.transcript.replace(/\s+/g, ' ').trim();
    parts.push(`text: "${t.length > 60 ? `${t.slice(0, 57)}…` : t}"`);
  }
  return `${parts.join('; ')} → ${label}`;
}

/**
 * The local prior for a segment summary (same schema as the Gemini prior).
 * @example reason({start: 0, end: 2, face: {presence: 1, auMean: {AU6: 0.7, AU12: 0.8}}}).label // 'happy'
 */
export function reason(summary: SegmentSummary): Prior {
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const input = encodeSummary(summary);
  const { probs, contributions } = scoreReasoner(input);
  const label = LABELS[argmax(probs)];
  const scores = Object.fromEntries(LABELS.map((l, i) => [l, probs[i]])) as Record<Label, number>;
  const t1 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  return {
    scores,
    contributions,
    label,
    rationale: rationaleFor(summary, input, label),
    source: 'local',
    model: 'facs-prosody-reasoner-1',
    latencyMs: t1 - t0,
  };
}
