/**
 * Baseline: TF-IDF (word 1–2-grams + char 2–5-grams within word boundaries, sublinear tf, L2-normalised, as
 * scikit-learn's TfidfVectorizer(analyzer='char_wb')) and a class-weighted multinomial logistic regression
 * (weights (n / (k · n_c))^balance; balance 1 = sklearn class_weight='balanced'), trained by full-vocabulary Adam.
 */
import { LABELS } from '../../src/shared/labels';
import { tokenizeUtterance } from '../../src/text/tokenize';
import type { LabelledUtterance } from './datasets';

type Sparse = { ids: number[]; values: number[] };

function terms(text: string): string[] {
  const words = tokenizeUtterance(text).tokens.map((t) => t.replace(/^NOT_/, ''));
  const out = words.map((w) => `w:${w}`);
  for (let i = 0; i + 1 < words.length; i++) out.push(`b:${words[i]} ${words[i + 1]}`);
  for (const w of words) {
    const p = ` ${w} `;
    for (let n = 2; n <= 5; n++) for (let i = 0; i + n <= p.length; i++) out.push(`c:${p.slice(i, i + n)}`);
  }
  return out;
}

export class TfidfLogisticBaseline {
  private vocab = new Map<string, number>();
  private idf: Float32Array = new Float32Array(0);
  private weights: Float32Array = new Float32Array(0);
  private bias = new Float32Array(LABELS.length);

  private vectorize(text: string): Sparse {
    const counts = new Map<number, number>();
    for (const t of terms(text)) {
      const id = this.vocab.get(t);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = [...counts.keys()];
    const values = ids.map((id) => (1 + Math.log(counts.get(id)!)) * this.idf[id]);
    const norm = Math.sqrt(values.reduce((a, v) => a + v * v, 0)) || 1;
    return { ids, values: values.map((v) => v / norm) };
  }

  /**
   * `balance` is the exponent on sklearn's balanced class weights (1 = class_weight='balanced', 0 = none);
   * `minDf` the document-frequency cut.
   */
  fit(train: readonly LabelledUtterance[], { epochs = 5, lr = 0.002, l2 = 3e-4, seed = 7, balance = 1, minDf = 2 } = {}): this {
    const df = new Map<string, number>();
    for (const u of train) for (const t of new Set(terms(u.text))) df.set(t, (df.get(t) ?? 0) + 1);
    for (const [t, n] of df) if (n >= minDf) this.vocab.set(t, this.vocab.size);
    this.idf = new Float32Array(this.vocab.size);
    for (const [t, id] of this.vocab) this.idf[id] = Math.log((1 + train.length) / (1 + df.get(t)!)) + 1;
    const k = LABELS.length;
    const x = train.map((u) => this.vectorize(u.text));
    const classCounts = new Array<number>(k).fill(0);
    for (const u of train) classCounts[u.label]++;
    const classWeight = classCounts.map((c) => (c ? Math.pow(train.length / (k * c), balance) : 0));
    this.weights = new Float32Array(this.vocab.size * k);
    // Adam with lazy (sparse) moment updates.
    const m = new Float32Array(this.weights.length);
    const v = new Float32Array(this.weights.length);
    let state = seed >>> 0;
    const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const order = train.map((_, i) => i);
    let step = 0;
    for (let e = 0; e < epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const i of order) {
        step++;
        const probs = this.logits(x[i]);
        softmaxInPlace(probs);
        const w = classWeight[train[i].label];
        const b1 = 1 - 0.9 ** step;
        const b2 = 1 - 0.999 ** step;
        for (let c = 0; c < k; c++) {
          const g = w * (probs[c] - (c === train[i].label ? 1 : 0));
          this.bias[c] -= lr * 0.1 * g;
          x[i].ids.forEach((id, f) => {
            const at = id * k + c;
            const grad = g * x[i].values[f] + l2 * this.weights[at];
            m[at] = 0.9 * m[at] + 0.1 * grad;
            v[at] = 0.999 * v[at] + 0.001 * grad * grad;
            this.weights[at] -= (lr * (m[at] / b1)) / (Math.sqrt(v[at] / b2) + 1e-8);
          });
        }
      }
    }
    return this;
  }

  private logits(x: Sparse): Float64Array {
    const k = LABELS.length;
    const out = Float64Array.from(this.bias);
    x.ids.forEach((id, f) => {
      for (let c = 0; c < k; c++) out[c] += this.weights[id * k + c] * x.values[f];
    });
    return out;
  }

  predictProbs(text: string): Float64Array {
    const p = this.logits(this.vectorize(text));
    softmaxInPlace(p);
    return p;
  }
}

export function softmaxInPlace(z: Float64Array): void {
  const max = Math.max(...z);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += z[i] = Math.exp(z[i] - max);
  for (let i = 0; i < z.length; i++) z[i] /= sum;
}
