/**
 * Reasoning priors for training and eval samples: a SegmentSummary per composed sample (AU means from the face
 * vector, speaker-relative prosody from the voice vector, text scores), scored by the local FACS/prosody reasoner
 * (src/priors/reasoner.ts). Stage 2 and eval fetch priors for fixed sample sets through the proxy engineer's
 * disk-cached batch client (server/prior-batch.ts fetchPriorsCached: local reasoner, or Gemini via --prior-url);
 * pseudo-labelling calls the reasoner directly (one item at a time, no caching needed).
 */
import { AU_NAMES } from '../../src/face/au';
import type { FusionPrior } from '../../src/fusion/batch';
import { VOICE_FEATURES } from '../../src/fusion/features';
import { reason } from '../../src/priors/reasoner';
import { LABELS } from '../../src/shared/labels';
import type { Prior, SegmentSummary } from '../../src/shared/types';

const at = (name: string) => {
  const i = VOICE_FEATURES.indexOf(name);
  if (i < 0) throw new Error(`priors: prosody feature ${name} missing`);
  return i;
};
const F0 = at('F0semitoneFrom27.5Hz_mean');
const F0_RANGE = at('F0semitoneFrom27.5Hz_range20_80');
const LEVEL = at('equivalentSoundLevel_dBp');
const JITTER = at('jitterLocal_mean');
const SHIMMER = at('shimmerLocaldB_mean');
const HNR = at('HNRdBACF_mean');
const RATE = at('loudnessPeaksPerSec');
const VOICED = at('voicedFraction');

const finite = (v: number) => (Number.isFinite(v) ? v : undefined);

/** Speaker-relative voice summary from a raw voice vector and the speaker's mean raw vector. */
export function voiceSummary(raw: Float32Array, speakerMean: ArrayLike<number>): NonNullable<SegmentSummary['voice']> {
  return {
    voicedFraction: Number.isFinite(raw[VOICED]) ? raw[VOICED] : 0.5,
    f0RelSemitones: finite(raw[F0] - speakerMean[F0]),
    // Normal distribution: the 20–80 % range is 1.68 sd.
    f0SdSemitones: finite(raw[F0_RANGE] / 1.68),
    loudnessRelDb: finite(raw[LEVEL] - speakerMean[LEVEL]),
    jitterPct: finite(raw[JITTER] * 100),
    shimmerDb: finite(raw[SHIMMER]),
    hnrDb: finite(raw[HNR]),
    syllableRate: finite(raw[RATE]),
  };
}

export function faceSummaryFromRaw(raw: Float32Array): NonNullable<SegmentSummary['face']> {
  const offset = raw.length - AU_NAMES.length - 3;
  return { presence: 1, auMean: Object.fromEntries(AU_NAMES.map((au, i) => [au, raw[offset + i]])) };
}

export interface PriorParts {
  face?: Float32Array | null;
  voice?: { raw: Float32Array; speakerMean: ArrayLike<number> } | null;
  textScores?: Float32Array | null;
}

/** The reasoner's view of a composed sample. */
export function summaryOf(parts: PriorParts): SegmentSummary {
  return {
    start: 0,
    end: 1,
    face: parts.face ? faceSummaryFromRaw(parts.face) : null,
    voice: parts.voice ? voiceSummary(parts.voice.raw, parts.voice.speakerMean) : null,
    text: parts.textScores ? { transcript: '', scores: Object.fromEntries(LABELS.map((l, i) => [l, parts.textScores![i]])) } : null,
  };
}

/** A Prior (reasoner or Gemini schema) in the fusion prior format; confidence = its top score. */
export function toFusionPrior(p: Prior): FusionPrior {
  const scores = LABELS.map((l) => p.scores[l]);
  return { scores, contributions: p.contributions, confidence: Math.max(...scores) };
}

/** The local reasoner's prior for a composed sample, in the fusion prior format, plus its label index. */
export function localPrior(parts: PriorParts): { prior: FusionPrior; label: number } {
  const p = reason(summaryOf(parts));
  return { prior: toFusionPrior(p), label: LABELS.indexOf(p.label) };
}
