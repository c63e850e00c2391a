/**
 * The model a fine-tune starts from: the shipped base fusion model (models/fusion/), or — when none is deployed —
 * a freshly initialised network with the app's feature schema and identity standardisation, so the Teach view
 * still works (it then learns from the user's clips alone, and says so).
 */
import { serializeFusionModel } from '../fusion/load';
import { FUSION_FORMAT, FUSION_FORMAT_VERSION, validateFusionMetadata, CURRENT_SCHEMA, type FusionMetadata } from '../fusion/metadata';
import { DEFAULT_FUSION_CONFIG, FusionNet } from '../fusion/model';
import { FACE_FEATURES, FACE_SCHEMA_VERSION, textFeatureNames, VOICE_FEATURES, VOICE_SCHEMA_VERSION } from '../fusion/features';
import { LABELS } from '../shared/labels';
import type { ModelArtifacts } from './types';

export const UNTRAINED_BASE_VERSION = 'untrained-0';

const identity = (n: number) => ({ mean: new Array<number>(n).fill(0), std: new Array<number>(n).fill(1) });
const population = (n: number) => ({ mean: new Array<number>(n).fill(0), variance: new Array<number>(n).fill(1), neutralOffset: new Array<number>(n).fill(0) });

/** A freshly initialised base (no training): person calibration then carries all the standardisation. */
export async function untrainedBase(textEmbeddingDim = 0, seed = 7): Promise<ModelArtifacts> {
  const text = textFeatureNames(textEmbeddingDim);
  const inputDims = { face: FACE_FEATURES.length, voice: VOICE_FEATURES.length, text: text.length };
  const net = new FusionNet({ ...DEFAULT_FUSION_CONFIG, inputDims, seed });
  try {
    const metadata: Omit<FusionMetadata, 'weights'> = {
      format: FUSION_FORMAT,
      formatVersion: FUSION_FORMAT_VERSION,
      version: UNTRAINED_BASE_VERSION,
      labels: [...LABELS],
      labelSet: 'base',
      d: DEFAULT_FUSION_CONFIG.d,
      hidden: DEFAULT_FUSION_CONFIG.hidden,
      branches: {
        face: { features: [...FACE_FEATURES], schema: FACE_SCHEMA_VERSION },
        voice: { features: [...VOICE_FEATURES], schema: VOICE_SCHEMA_VERSION },
        text: { features: text, schema: `text-emb${textEmbeddingDim}-scores6` },
      },
      // A near-zero pseudo-count: each person's own statistics dominate at once.
      calibration: { mode: 'person-zscore-shrunk', priorCount: 0.01, minWindows: 3, population: { face: population(inputDims.face), voice: population(inputDims.voice) } },
      inputNorm: { face: identity(inputDims.face), voice: identity(inputDims.voice), text: identity(inputDims.text) },
      affectTargets: 'class-anchors',
    };
    return await serializeFusionModel(net, metadata);
  } finally {
    net.dispose();
  }
}

/**
 * Fetches `${fusionBaseUrl}metadata.json` and its weights. Null when no base model is deployed; throws when one is
 * deployed but unusable (another feature schema, missing weights), so the UI can say why.
 */
export async function fetchBaseArtifacts(fusionBaseUrl: string): Promise<ModelArtifacts | null> {
  const base = fusionBaseUrl.replace(/\/?$/, '/');
  const res = await fetch(`${base}metadata.json`);
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
  const meta: FusionMetadata = validateFusionMetadata(await res.json(), CURRENT_SCHEMA);
  const w = await fetch(`${base}${meta.weights.file}`);
  if (!w.ok) throw new Error(`base model weights ${meta.weights.file}: HTTP ${w.status}`);
  return { metadata: meta, weights: await w.arrayBuffer() };
}
