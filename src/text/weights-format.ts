/**
 * Compact weights file for the text network (weights.bin) and its metadata.json schema.
 * The hashed table is stored as int8 with one float32 scale per row (symmetric per-row quantisation, as in
 * fastText's product-quantised "ftz" models but simpler): error ≤ scale/2 per weight. Small dense tensors stay float32.
 * Layout of weights.bin: tensors back to back, each at the byteOffset given in metadata.json (little-endian).
 */
import type { HashSettings } from './features';

export const TEXT_SCHEMA_VERSION = 1;

/** projection and wordVectors exist only in models with the pretrained word-vector branch (src/text/word-vectors.ts). */
export type TensorName = 'table' | 'hiddenBias' | 'outKernel' | 'outBias' | 'projection' | 'wordVectors';
const TENSOR_ORDER: readonly TensorName[] = ['table', 'hiddenBias', 'outKernel', 'outBias', 'projection', 'wordVectors'];
const INT8_TENSORS: ReadonlySet<TensorName> = new Set(['table', 'wordVectors']);

export interface TensorSpec {
  name: TensorName;
  shape: number[];
  /** int8: values = q · rowScales[row]; rowScales (float32, one per row) follow the int8 data at scalesOffset. */
  dtype: 'float32' | 'int8';
  byteOffset: number;
  scalesOffset?: number;
}

export interface TextModelMetadata {
  schemaVersion: number;
  kind: 'hashed-bag-text-emotion';
  /** Must equal LABELS (src/shared/labels.ts) in order. */
  labels: string[];
  embeddingSize: number;
  hash: HashSettings & { function: 'fnv1a32'; tokenizer: string };
  /** Words seen in training (coverage → confidence). */
  vocabulary: string[];
  calibration: {
    /** Softmax temperature at full trust (fitted on dev NLL). */
    temperature: number;
    /** Temperature grows as temperature · (1 + lowTrustTemperatureSlope · (1 − trust)). */
    lowTrustTemperatureSlope: number;
    /** Distribution mixed in as trust falls (neutral-leaning), LABELS order. */
    fallback: number[];
    /** Known-word fraction at or below which the output is the fallback alone. */
    coverageFloor: number;
    /** Known-word fraction from which the model output is used unchanged. */
    coverageFull: number;
  };
  /** Whether the table holds "p:" previous-utterance features. */
  usesContext: boolean;
  /**
   * Pretrained word-vector branch: words of the `wordVectors` tensor (rows in this order; SIF-weighted unit vectors)
   * and the projection (2·dimensions × (embeddingSize + classes)) added to the bag. Absent in older models.
   */
  wordVectors?: { words: string[]; dimensions: number; source: string };
  weightsFile: string;
  tensors: TensorSpec[];
  training?: Record<string, unknown>;
}

export interface DenseTensor {
  shape: number[];
  values: Float32Array;
}

/** Packs tensors (table → int8 per-row, others float32) into one buffer; returns specs for the metadata. */
export function encodeWeights(tensors: Partial<Record<TensorName, DenseTensor>> & Record<'table' | 'hiddenBias' | 'outKernel' | 'outBias', DenseTensor>): { buffer: Uint8Array; specs: TensorSpec[] } {
  const chunks: Uint8Array[] = [];
  const specs: TensorSpec[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array) => {
    chunks.push(bytes);
    offset += bytes.byteLength;
    const pad = (4 - (offset % 4)) % 4; // keep float32 views aligned
    if (pad) {
      chunks.push(new Uint8Array(pad));
      offset += pad;
    }
  };
  for (const name of TENSOR_ORDER) {
    const t = tensors[name];
    if (!t) continue;
    if (INT8_TENSORS.has(name)) {
      const [rows, cols] = t.shape;
      const q = new Int8Array(rows * cols);
      const scales = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let max = 0;
        for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(t.values[r * cols + c]));
        const scale = max / 127 || 1;
        scales[r] = scale;
        for (let c = 0; c < cols; c++) q[r * cols + c] = Math.round(t.values[r * cols + c] / scale);
      }
      const spec: TensorSpec = { name, shape: t.shape, dtype: 'int8', byteOffset: offset };
      push(new Uint8Array(q.buffer));
      spec.scalesOffset = offset;
      push(new Uint8Array(scales.buffer));
      specs.push(spec);
    } else {
      specs.push({ name, shape: t.shape, dtype: 'float32', byteOffset: offset });
      push(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
    }
  }
  const buffer = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    buffer.set(c, at);
    at += c.byteLength;
  }
  return { buffer, specs };
}

/** Decodes one tensor from weights.bin into float32 (copies, so the buffer's alignment does not matter). */
export function decodeTensor(buffer: ArrayBuffer, spec: TensorSpec): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const bytesNeeded = spec.dtype === 'int8' ? size : size * 4;
  if (spec.byteOffset + bytesNeeded > buffer.byteLength) {
    throw new Error(`text model: weights file too short for tensor "${spec.name}"`);
  }
  if (spec.dtype === 'float32') return new Float32Array(buffer.slice(spec.byteOffset, spec.byteOffset + size * 4));
  const rows = spec.shape[0];
  const cols = size / rows;
  const q = new Int8Array(buffer, spec.byteOffset, size);
  if (spec.scalesOffset === undefined || spec.scalesOffset + rows * 4 > buffer.byteLength) {
    throw new Error(`text model: missing row scales for tensor "${spec.name}"`);
  }
  const scales = new Float32Array(buffer.slice(spec.scalesOffset, spec.scalesOffset + rows * 4));
  const out = new Float32Array(size);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = q[r * cols + c] * scales[r];
  return out;
}
