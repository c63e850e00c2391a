/**
 * Synthetic test signals with analytic answers for the prosody unit tests (seeded, deterministic).
 */
import { seededRandom } from '../training/seeded-random';

export { seededRandom };

export function tone(freqHz: number, seconds: number, sampleRate: number, amplitude = 0.5): Float32Array {
  const x = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * freqHz * i) / sampleRate);
  return x;
}

export function whiteNoise(seconds: number, sampleRate: number, amplitude = 0.3, seed = 1): Float32Array {
  const rand = seededRandom(seed);
  const x = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * (2 * rand() - 1);
  return x;
}

/**
 * A voiced-speech-like pulse train: each glottal pulse excites a damped resonance (a crude vowel formant at 700 Hz
 * plus one at 1200 Hz) decaying with time constant `tau`. Pulse k starts at `times[k]` seconds with amplitude `amps[k]`; times may be fractional.
 */
export function pulseTrain(times: number[], amps: number[], seconds: number, sampleRate: number, tau = 0.003): Float32Array {
  const x = new Float32Array(Math.round(seconds * sampleRate));
  const span = Math.round(0.02 * sampleRate);
  times.forEach((tp, k) => {
    const i0 = Math.ceil(tp * sampleRate);
    for (let i = i0; i < Math.min(x.length, i0 + span); i++) {
      const t = i / sampleRate - tp;
      const env = Math.exp(-t / tau);
      x[i] += amps[k] * env * (Math.sin(2 * Math.PI * 700 * t) + 0.5 * Math.sin(2 * Math.PI * 1200 * t));
    }
  });
  return x;
}

/**
 * Pulse times with alternating periods T0·(1 ± d): every |T(i) − T(i−1)| is 2·d·T0 and the mean period is T0,
 * so Praat's jitter (local) is exactly 2·d.
 */
export function alternatingPeriods(f0Hz: number, d: number, seconds: number, start = 0.05): number[] {
  const T0 = 1 / f0Hz;
  const times: number[] = [];
  let t = start;
  for (let k = 0; t < seconds - 0.03; k++) {
    times.push(t);
    t += T0 * (1 + (k % 2 ? -d : d));
  }
  return times;
}
