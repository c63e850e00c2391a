/**
 * The prosody feature vector: names, units and order, defined here and nowhere else. Fusion, training and the
 * reasoner index into `ProsodyWindow.features` through this list.
 *
 * Modelled on eGeMAPS v02 (Eyben et al. 2016, "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS) for Voice
 * Research and Affective Computing", IEEE Trans. Affective Computing 7(2); openSMILE config
 * config/egemaps/v02/eGeMAPSv02.conf with GeMAPSv01b_core.lld.conf.inc / eGeMAPSv02_core.func.conf.inc).
 * Differences from openSMILE: F0, voicing, jitter, shimmer and HNR follow Praat's definitions (Boersma 1993) so they
 * can be validated against Praat (scripts/eval-prosody.ts); functionals are over a short window (default 2 s)
 * rather than a whole utterance; `_cv` is eGeMAPS' `stddevNorm` (sd / mean).
 */

export interface ProsodyFeature {
  /** eGeMAPS-style name: `<lld>_<functional>`. */
  name: string;
  unit: string;
  description: string;
}

/** Bump when names, order or definitions change; stored in model metadata next to the vector. */
export const PROSODY_SCHEMA_VERSION = 'prosody-egemaps02-praat-1';

/** The ten F0/loudness functionals of eGeMAPS v02. */
const CONTOUR_FUNCTIONALS: Array<[suffix: string, unitOf: (u: string) => string, what: string]> = [
  ['mean', (u) => u, 'mean'],
  ['cv', () => 'ratio', 'coefficient of variation (sd / mean)'],
  ['p20', (u) => u, '20th percentile'],
  ['p50', (u) => u, 'median'],
  ['p80', (u) => u, '80th percentile'],
  ['range20_80', (u) => u, 'range between 20th and 80th percentiles'],
  ['risingSlopeMean', (u) => `${u}/s`, 'mean slope of rising contour parts'],
  ['risingSlopeSd', (u) => `${u}/s`, 'sd of slopes of rising contour parts'],
  ['fallingSlopeMean', (u) => `${u}/s`, 'mean slope of falling contour parts (positive number)'],
  ['fallingSlopeSd', (u) => `${u}/s`, 'sd of slopes of falling contour parts'],
];

function contour(lld: string, unit: string, what: string, voicedOnly: boolean): ProsodyFeature[] {
  const scope = voicedOnly ? ' over voiced frames' : ' over all frames';
  return CONTOUR_FUNCTIONALS.map(([suffix, unitOf, fn]) => ({
    name: `${lld}_${suffix}`,
    unit: unitOf(unit),
    description: `${what}: ${fn}${scope}`,
  }));
}

function meanCv(lld: string, unit: string, what: string, scope: string): ProsodyFeature[] {
  return [
    { name: `${lld}_mean`, unit, description: `${what}: mean ${scope}` },
    { name: `${lld}_cv`, unit: 'ratio', description: `${what}: coefficient of variation ${scope}` },
  ];
}

const V = 'over voiced frames';
const ALL = 'over all frames';
const UV = 'over unvoiced frames';

export const PROSODY_FEATURES: readonly ProsodyFeature[] = Object.freeze([
  // Frequency parameters.
  ...contour('F0semitoneFrom27.5Hz', 'st', 'F0 in semitones re 27.5 Hz (Praat AC pitch, Boersma 1993)', true),
  {
    name: 'jitterLocal_mean',
    unit: 'ratio',
    description: "Praat jitter (local): mean |T(i) − T(i−1)| / mean period, over the window's pulses",
  },
  { name: 'jitterLocal_cv', unit: 'ratio', description: 'jitter (local) per 60 ms frame: coefficient of variation over voiced frames' },
  ...meanCv('F1frequency', 'Hz', 'first formant centre frequency (LPC)', V),
  ...meanCv('F1bandwidth', 'Hz', 'first formant bandwidth (LPC)', V),
  ...meanCv('F2frequency', 'Hz', 'second formant centre frequency (LPC)', V),
  ...meanCv('F3frequency', 'Hz', 'third formant centre frequency (LPC)', V),
  // Energy / amplitude parameters.
  ...contour('loudness', 'sone', 'loudness (Zwicker-style specific loudness summed over Bark bands, meyda)', false),
  {
    name: 'shimmerLocaldB_mean',
    unit: 'dB',
    description: "Praat shimmer (local, dB): mean |20·log10(A(i+1)/A(i))| over the window's periods",
  },
  { name: 'shimmerLocaldB_cv', unit: 'ratio', description: 'shimmer (local, dB) per frame: coefficient of variation over voiced frames' },
  ...meanCv('HNRdBACF', 'dB', 'harmonics-to-noise ratio from the normalised autocorrelation peak (Boersma 1993; Praat To Harmonicity (ac))', 'over the frames Harmonicity (ac) finds periodic (Praat: value > −200 dB)'),
  // Spectral (balance) parameters.
  ...meanCv('alphaRatio', 'dB', 'energy 50–1000 Hz over 1–5 kHz', V),
  ...meanCv('hammarbergIndex', 'dB', 'strongest peak 0–2 kHz over strongest peak 2–5 kHz', V),
  ...meanCv('slopeV0-500', 'dB/Hz', 'spectral slope 0–500 Hz (linear regression of the dB spectrum)', V),
  ...meanCv('slopeV500-1500', 'dB/Hz', 'spectral slope 500–1500 Hz', V),
  ...meanCv('spectralFlux', 'ratio', 'spectral flux between successive normalised magnitude spectra', V),
  ...meanCv('mfcc1', '1', 'MFCC 1 (meyda, 26 mel bands)', V),
  ...meanCv('mfcc2', '1', 'MFCC 2', V),
  ...meanCv('mfcc3', '1', 'MFCC 3', V),
  ...meanCv('mfcc4', '1', 'MFCC 4', V),
  ...meanCv('logRelF0-H1-H2', 'dB', 'H1 − H2: first minus second harmonic level', V),
  ...meanCv('logRelF0-H1-A3', 'dB', 'H1 − A3: first harmonic minus strongest peak near F3', V),
  { name: 'alphaRatioUV_mean', unit: 'dB', description: `alpha ratio: mean ${UV}` },
  { name: 'hammarbergIndexUV_mean', unit: 'dB', description: `Hammarberg index: mean ${UV}` },
  { name: 'slopeUV0-500_mean', unit: 'dB/Hz', description: `spectral slope 0–500 Hz: mean ${UV}` },
  { name: 'slopeUV500-1500_mean', unit: 'dB/Hz', description: `spectral slope 500–1500 Hz: mean ${UV}` },
  { name: 'spectralFluxAll_mean', unit: 'ratio', description: `spectral flux: mean ${ALL}` },
  // Temporal (rate) parameters.
  { name: 'loudnessPeaksPerSec', unit: '1/s', description: 'loudness peaks per second (syllable-rate proxy)' },
  { name: 'VoicedSegmentsPerSec', unit: '1/s', description: 'continuous voiced segments per second' },
  { name: 'MeanVoicedSegmentLengthSec', unit: 's', description: 'mean length of voiced segments' },
  { name: 'StddevVoicedSegmentLengthSec', unit: 's', description: 'sd of voiced segment lengths' },
  { name: 'MeanUnvoicedSegmentLength', unit: 's', description: 'mean length of unvoiced segments' },
  { name: 'StddevUnvoicedSegmentLength', unit: 's', description: 'sd of unvoiced segment lengths' },
  { name: 'voicedFraction', unit: 'ratio', description: 'fraction of 10 ms frames called voiced' },
  { name: 'equivalentSoundLevel_dBp', unit: 'dBFS', description: 'equivalent sound level: 10·log10 of mean frame power re full scale' },
]);

export const PROSODY_FEATURE_NAMES: readonly string[] = Object.freeze(PROSODY_FEATURES.map((f) => f.name));

const INDEX = new Map(PROSODY_FEATURE_NAMES.map((n, i) => [n, i]));

/** Index of a feature by name; throws for an unknown name so typos fail loudly. */
export function prosodyFeatureIndex(name: string): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`Unknown prosody feature "${name}"`);
  return i;
}
