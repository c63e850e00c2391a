import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/fusion/node-tf';
import { bclIntraLoss, classBalancedWeights, crossEntropy, interModalityLoss, interModalityPairLoss } from './bdcl';

const { E, log } = Math;
const t2 = (rows: number[][]) => tf.tensor2d(rows);
const value = (f: () => tf.Scalar) => tf.tidy(() => f().dataSync()[0]);

beforeAll(async () => useNodeBackend('cpu'));

describe('classBalancedWeights', () => {
  it('averages within each class, then across classes; unlabelled rows form one group', () => {
    const close = (got: Float32Array, want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 6));
    close(classBalancedWeights([0, 0, 1, -1, 2], [1, 1, 1, 1, 0]), [1 / 6, 1 / 6, 1 / 3, 1 / 3, 0]);
    close(classBalancedWeights([-1, -1, -1], [1, 1, 1]), [1 / 3, 1 / 3, 1 / 3]);
  });
});

describe('inter-modality InfoNCE', () => {
  // za = (e1, e2, e1), zb = (e1, e2, e2), τ = 1 → sim = [[1,0,0],[0,1,1],[1,0,0]].
  // a→b rows: ℓ0 = log(e+2) − 1, ℓ1 = log(2e+1) − 1, ℓ2 = log(e+2) (its positive has sim 0).
  // b→a rows (columns of sim): ℓ0 = log(2e+1) − 1, ℓ1 = log(e+2) − 1, ℓ2 = log(e+2).
  const za = [[1, 0], [0, 1], [1, 0]];
  const zb = [[1, 0], [0, 1], [0, 1]];
  const s01 = (log(E + 2) - 1 + log(2 * E + 1) - 1) / 2;
  const s2 = log(E + 2);

  it('is averaged within class before across classes (labels 0, 0, 1)', () => {
    const got = value(() => interModalityPairLoss(t2(za), t2(zb), [1, 1, 1], [0, 0, 1], 1));
    expect(got).toBeCloseTo((s01 + s2) / 2, 5);
  });

  it('is a plain mean for unlabelled data', () => {
    const got = value(() => interModalityPairLoss(t2(za), t2(zb), [1, 1, 1], [-1, -1, -1], 1));
    expect(got).toBeCloseTo((2 * s01 + s2) / 3, 5);
  });

  it('drops samples where one modality is missing, as anchors and as negatives', () => {
    // Only samples 0 and 1 valid: sim [[1,0],[0,1]] → every row log(1 + e^-1).
    const got = value(() => interModalityPairLoss(t2(za), t2(zb), [1, 1, 0], [0, 1, 1], 1));
    expect(got).toBeCloseTo(log(1 + 1 / E), 5);
  });

  it('averages over modality pairs with ≥ 2 shared samples, ignoring the rest', () => {
    const emb = { face: t2(za), voice: t2(zb), text: t2([[1, 0], [1, 0], [1, 0]]) };
    // text present only in sample 0: only the face–voice pair counts.
    const presence = [[1, 1, 1], [1, 1, 0], [1, 1, 0]];
    const got = value(() => interModalityLoss(emb, presence, [0, 0, 1], 1));
    expect(got).toBeCloseTo((s01 + s2) / 2, 5);
    tf.dispose(Object.values(emb));
  });

  it('grows when positives are dissimilar (can fail)', () => {
    const aligned = value(() => interModalityPairLoss(t2(za), t2(za), [1, 1, 1], [0, 1, 2], 0.5));
    const crossed = value(() => interModalityPairLoss(t2(za), t2([[0, 1], [1, 0], [0, 1]]), [1, 1, 1], [0, 1, 2], 0.5));
    expect(crossed).toBeGreaterThan(aligned);
  });
});

describe('BCL intra-modality loss', () => {
  // Prototypes c0 = e1, c1 = e2; z0 = e1 (class 0), z1 = e2 (class 0), z2 = e2 (class 1, a class of ONE sample); τ = 1.
  // Anchor 0: D = ½(e^0 + e^1) [B0 = {z1, c0}] + ½(e^0 + e^0) [B1 = {z2, c1}] = (3+e)/2; positives z1 (0), c0 (1):
  //   ℓ0 = log D − ½.
  // Anchor 1: D = ½(1 + 1) + ½(e + e) = 1 + e; positives z0 (0), c0 (0): ℓ1 = log(1 + e).
  // Anchor 2: D = ⅓(1 + e + 1) [B0 = {z0, z1, c0}] + e [B1 = {c1}]; positive c1 only (1): ℓ2 = log D − 1.
  const l0 = log((3 + E) / 2) - 0.5;
  const l1 = log(1 + E);
  const l2 = log((2 + E) / 3 + E) - 1;
  const z = [[1, 0], [0, 1], [0, 1]];
  const protos = [[1, 0], [0, 1]];

  it('matches the hand computation, every class weighing the same (incl. a class of one)', () => {
    const got = value(() => bclIntraLoss(t2(z), t2(protos), [0, 0, 1], [1, 1, 1], 1));
    expect(got).toBeCloseTo(((l0 + l1) / 2 + l2) / 2, 5);
  });

  it('ignores unlabelled and absent samples', () => {
    // Sample 1 unlabelled and sample 3 absent: anchors 0 (class 0, alone) and 2 (class 1, alone).
    // Anchor 0: D = 1·e^1 [c0] + ½(e^0 + e^0) [z2, c1] = e + 1; positive c0: ℓ = log(e + 1) − 1.
    // Anchor 2: D = ½(e^0 + e^0) [z0, c0] + e [c1] = 1 + e; positive c1: ℓ = log(1 + e) − 1.
    const got = value(() => bclIntraLoss(t2([...z, [1, 0]]), t2(protos), [0, -1, 1, 0], [1, 1, 1, 0], 1));
    expect(got).toBeCloseTo(log(1 + E) - 1, 5);
  });
});

describe('cross-entropy', () => {
  it('plain: mean over labelled rows', () => {
    // Row 0: logits (0, 0) label 0 → log 2; row 1: (ln 3, 0) label 1 → log 4; row 2 unlabelled.
    const got = value(() => crossEntropy(t2([[0, 0], [log(3), 0], [5, 0]]), [0, 1, -1]));
    expect(got).toBeCloseTo((log(2) + log(4)) / 2, 5);
  });

  it('logit-adjusted (Menon et al. 2021): + τ·log π before the softmax', () => {
    // π = (0.75, 0.25), τ = 1. Row 0 → p0 = 0.75; row 1: (ln 2.25, ln 0.25) → p1 = 0.25 / 2.5 = 0.1.
    const got = value(() => crossEntropy(t2([[0, 0], [log(3), 0]]), [0, 1], undefined, 1, [0.75, 0.25]));
    expect(got).toBeCloseTo((-log(0.75) + log(10)) / 2, 5);
  });

  it('respects a row mask (absent branch)', () => {
    const got = value(() => crossEntropy(t2([[0, 0], [log(3), 0]]), [0, 1], [1, 0]));
    expect(got).toBeCloseTo(log(2), 5);
  });
});
