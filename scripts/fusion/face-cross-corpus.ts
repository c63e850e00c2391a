/**
 * Face branch on a corpus it never saw: for each face corpus C, a fusion net is trained (stage 1 schedule, as the
 * ablation) with every face record of C left out of training, population statistics and model selection, then its
 * face branch is scored on C's dev images, next to a logistic-regression baseline trained the same way and the
 * pretrained peers (face-api, human) on the same images. Users' faces come from neither corpus, so this is the
 * closest check here of how the face branch transfers.
 */
import { LABELS } from '../../src/shared/labels';
import type { LossConfig } from '../../src/training/train-step';
import { composeTriples, poolByLabel } from './compose';
import { lowAgreement, toItems, trainingItems, type SplitRecord } from './dataset';
import { peerRows } from './eval-parts';
import { branchAlone, compact, report, type TrainOptionsBase } from './evaluate';
import { predictLogistic, trainLogistic } from './logreg';
import { calibrate, calibrationScheme, inputNorm } from './prepare';
import { trainFusion } from './trainer';

export async function faceLeaveCorpusOut(
  trainAll: readonly SplitRecord[],
  devRecords: readonly SplitRecord[],
  base: TrainOptionsBase,
  loss: LossConfig,
  peersJsonl: string,
  log: (line: string) => void,
): Promise<Record<string, unknown>> {
  const corpora = [...new Set(devRecords.filter((r) => r.modality === 'face').map((r) => r.corpus))].sort();
  if (corpora.length < 2) return { note: `needs two face corpora in the evaluated data (has ${corpora.join(', ') || 'none'})` };
  const out: Record<string, unknown> = {};
  // Ours vs face-api on the same images of each left-out corpus, for the model card's verdict.
  const transfer: Record<string, { images: number; ours: number; faceApi: number }> = {};
  for (const left of corpora) {
    const isLeft = (r: { modality: string; corpus: string }) => r.modality === 'face' && r.corpus === left;
    const trainRecords = trainAll.filter((r) => !isLeft(r));
    const labelled = trainRecords.filter((r) => r.label >= 0 && !lowAgreement(r));
    const scheme = calibrationScheme(labelled);
    const norm = inputNorm(labelled, calibrate(labelled, scheme), base.dims);
    const train = trainingItems(trainRecords, scheme, norm);
    const dev = toItems(devRecords, scheme, norm);
    const selection = dev.filter((i) => !isLeft(i));
    const target = dev.filter(isLeft);
    log(`face cross-corpus: training without ${left} (${train.filter((i) => i.modality === 'face').length} face items), scoring ${target.length} ${left} dev images…`);
    const result = await trainFusion(train, composeTriples(selection, poolByLabel(selection, (i) => i.label), base.seed + 1), { ...base, loss });
    const predicted = branchAlone(result.net, target);
    result.net.dispose();
    out[`face branch, trained without ${left} [${left}]`] = compact(report(target.map((i) => i.label), predicted));
    const faces = train.filter((i) => i.modality === 'face' && i.trainLabel >= 0);
    const lr = trainLogistic(faces.map((i) => i.std), faces.map((i) => i.trainLabel), LABELS.length, { iterations: 300 });
    out[`face logreg + per-person norm, trained without ${left} [${left}]`] = compact(report(target.map((i) => i.label), target.map((i) => predictLogistic(lr, i.std))));
    // The same without per-person normalisation: is the transfer gap the calibration's or the features'?
    const popTrain = toItems(trainRecords, scheme, norm, false).filter((i, k) => i.modality === 'face' && i.label >= 0 && !lowAgreement(trainRecords[k]));
    const popTarget = toItems(devRecords, scheme, norm, false).filter(isLeft);
    const popLr = trainLogistic(popTrain.map((i) => i.std), popTrain.map((i) => i.label), LABELS.length, { iterations: 300 });
    out[`face logreg (population z-score), trained without ${left} [${left}]`] = compact(report(popTarget.map((i) => i.label), popTarget.map((i) => predictLogistic(popLr, i.std))));
    const ours = new Map(target.map((i, k) => [i.id, predicted[k]]));
    const peers = peerRows(target, peersJsonl, '', ours) as Record<string, unknown>;
    const faceApi = peers['face-api (peer) on its dev images'] as { n: number; macroF1: number } | undefined;
    const oursOnFaceApi = Object.entries(peers).find(([k]) => k.startsWith('our face branch on the face-api images'))?.[1] as { macroF1: number } | undefined;
    if (faceApi && oursOnFaceApi) transfer[left] = { images: faceApi.n, ours: oursOnFaceApi.macroF1, faceApi: faceApi.macroF1 };
    for (const [name, row] of Object.entries(peers)) {
      // peerRows splits by corpus too; here every image is from `left`, so keep the all-images and face-found rows.
      if (name.includes(`[${left}]`) || !row || typeof row !== 'object' || !('macroF1' in row)) continue;
      // Keys name the left-out corpus: peer rows of both corpora would otherwise share a name.
      out[name.includes('our face branch') ? name.replace('our face branch', `our face branch (trained without ${left})`) : `${name.replace(' on its dev images', '')} on the ${left} dev images`] = row;
    }
  }
  return { ...out, transfer };
}
