/**
 * Packs one window of per-frame LLDs into the PROSODY_FEATURES vector (eGeMAPS v02 functionals; see features.ts).
 */
import type { ProsodyFrames } from './extract';
import { PROSODY_FEATURES } from './features';
import {
  coefficientOfVariation, contourSlopes, countPeaks, finiteValues, mean, percentile, sd, segmentLengths, smooth3,
} from './functionals';
import { jitterLocal, shimmerLocalDb } from './voice-quality';

type Values = Map<string, number | null>;

function contourFunctionals(out: Values, name: string, x: Float32Array, hopSec: number) {
  const v = finiteValues(x);
  const sorted = v.slice().sort((a, b) => a - b);
  out.set(`${name}_mean`, mean(v));
  out.set(`${name}_cv`, coefficientOfVariation(v));
  const p20 = percentile(sorted, 0.2);
  const p80 = percentile(sorted, 0.8);
  out.set(`${name}_p20`, p20);
  out.set(`${name}_p50`, percentile(sorted, 0.5));
  out.set(`${name}_p80`, p80);
  out.set(`${name}_range20_80`, p20 === null || p80 === null ? null : p80 - p20);
  const { rising, falling } = contourSlopes(smooth3(x), hopSec);
  out.set(`${name}_risingSlopeMean`, mean(rising));
  out.set(`${name}_risingSlopeSd`, sd(rising));
  out.set(`${name}_fallingSlopeMean`, mean(falling));
  out.set(`${name}_fallingSlopeSd`, sd(falling));
}

function meanCv(out: Values, name: string, x: Float32Array, mask: Uint8Array) {
  const v = finiteValues(x, mask);
  out.set(`${name}_mean`, mean(v));
  out.set(`${name}_cv`, coefficientOfVariation(v));
}

const pick = (x: Float32Array, idx: number[]) => Float32Array.from(idx, (i) => x[i]);

/** Feature vector for frames `idx` (a contiguous, ordered run) spanning [from, to) seconds. */
export function windowFeatures(frames: ProsodyFrames, idx: number[], from: number, to: number) {
  const hop = frames.hopSec;
  const out: Values = new Map();
  const voiced = Uint8Array.from(idx, (i) => (frames.f0Hz[i] > 0 ? 1 : 0));
  const unvoiced = voiced.map((v) => 1 - v);
  const nVoiced = voiced.reduce((a, b) => a + b, 0);
  const voicedFraction = idx.length > 0 ? nVoiced / idx.length : 0;
  const all = new Uint8Array(idx.length).fill(1);

  contourFunctionals(out, 'F0semitoneFrom27.5Hz', pick(frames.f0Semitones, idx), hop);
  contourFunctionals(out, 'loudness', pick(frames.loudness, idx), hop);

  // Jitter and shimmer over the window's own pulses, as Praat's Voice report computes them over a selection.
  const t0 = idx.length ? frames.times[idx[0]] - hop / 2 : from;
  const t1 = idx.length ? frames.times[idx[idx.length - 1]] + hop / 2 : to;
  const inWindow: number[] = [];
  for (let k = 0; k < frames.pulses.length; k++) if (frames.pulses[k] >= t0 && frames.pulses[k] < t1) inWindow.push(k);
  out.set('jitterLocal_mean', jitterLocal(frames.pulses, inWindow));
  out.set('jitterLocal_cv', coefficientOfVariation(finiteValues(pick(frames.jitter, idx), voiced)));
  out.set('shimmerLocaldB_mean', shimmerLocalDb(frames.pulses, frames.pulseAmplitudes, inWindow));
  out.set('shimmerLocaldB_cv', coefficientOfVariation(finiteValues(pick(frames.shimmerDb, idx), voiced)));
  // HNR over the frames Praat's Harmonicity would call periodic (its own voicing), eGeMAPS HNRdBACF.
  meanCv(out, 'HNRdBACF', pick(frames.hnrDb, idx), all);

  meanCv(out, 'F1frequency', pick(frames.f1, idx), voiced);
  meanCv(out, 'F1bandwidth', pick(frames.f1Bandwidth, idx), voiced);
  meanCv(out, 'F2frequency', pick(frames.f2, idx), voiced);
  meanCv(out, 'F3frequency', pick(frames.f3, idx), voiced);
  meanCv(out, 'alphaRatio', pick(frames.alphaRatio, idx), voiced);
  meanCv(out, 'hammarbergIndex', pick(frames.hammarberg, idx), voiced);
  meanCv(out, 'slopeV0-500', pick(frames.slope0_500, idx), voiced);
  meanCv(out, 'slopeV500-1500', pick(frames.slope500_1500, idx), voiced);
  meanCv(out, 'spectralFlux', pick(frames.spectralFlux, idx), voiced);
  for (let k = 0; k < 4; k++) meanCv(out, `mfcc${k + 1}`, pick(frames.mfcc[k], idx), voiced);
  meanCv(out, 'logRelF0-H1-H2', pick(frames.h1h2, idx), voiced);
  meanCv(out, 'logRelF0-H1-A3', pick(frames.h1a3, idx), voiced);
  out.set('alphaRatioUV_mean', mean(finiteValues(pick(frames.alphaRatio, idx), unvoiced)));
  out.set('hammarbergIndexUV_mean', mean(finiteValues(pick(frames.hammarberg, idx), unvoiced)));
  out.set('slopeUV0-500_mean', mean(finiteValues(pick(frames.slope0_500, idx), unvoiced)));
  out.set('slopeUV500-1500_mean', mean(finiteValues(pick(frames.slope500_1500, idx), unvoiced)));
  out.set('spectralFluxAll_mean', mean(finiteValues(pick(frames.spectralFlux, idx))));

  const seconds = idx.length * hop;
  const segments = segmentLengths(voiced, hop);
  const loud = pick(frames.loudness, idx);
  out.set('loudnessPeaksPerSec', seconds > 0 ? countPeaks(loud) / seconds : null);
  out.set('VoicedSegmentsPerSec', seconds > 0 ? segments.voiced.length / seconds : null);
  out.set('MeanVoicedSegmentLengthSec', mean(segments.voiced));
  out.set('StddevVoicedSegmentLengthSec', segments.voiced.length >= 2 ? sd(segments.voiced) : null);
  out.set('MeanUnvoicedSegmentLength', mean(segments.unvoiced));
  out.set('StddevUnvoicedSegmentLength', segments.unvoiced.length >= 2 ? sd(segments.unvoiced) : null);
  out.set('voicedFraction', idx.length > 0 ? voicedFraction : null);
  const p = mean(finiteValues(pick(frames.power, idx)));
  out.set('equivalentSoundLevel_dBp', p === null ? null : 10 * Math.log10(Math.max(p, 1e-10)));

  const values = new Float32Array(PROSODY_FEATURES.length);
  const present = new Uint8Array(PROSODY_FEATURES.length);
  PROSODY_FEATURES.forEach((f, i) => {
    const v = out.get(f.name);
    if (v === undefined) throw new Error(`Prosody feature "${f.name}" is not computed`);
    if (v !== null && Number.isFinite(v)) {
      values[i] = v;
      present[i] = 1;
    }
  });
  return { values, present, voicedFraction };
}
