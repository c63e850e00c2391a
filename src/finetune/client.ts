/**
 * Main-thread side of fine-tuning: the fine-tune worker behind the shared WorkerBridge, and applying a stored model
 * to the inference worker (useFusionModel) — or going back to the base model.
 */
import * as Comlink from 'comlink';
import { WorkerBridge } from '../bridge/worker-bridge';
import type { TfBackendName } from '../env';
import type { InferenceApi } from '../fusion/worker-api';
import type { ModelStore } from './store';
import type { FinetuneApi } from './worker-api';

export function createFinetuneBridge(backend?: TfBackendName): WorkerBridge<FinetuneApi> {
  return new WorkerBridge<FinetuneApi>({
    create: () => new Worker(new URL('../../workers/finetune.worker.ts', import.meta.url), { type: 'module', name: 'finetune' }),
    onStart: async (remote) => {
      await remote.init({ backend });
    },
  });
}

/** Loads the store's active model into the inference worker (null active → the base model). Returns its version. */
export async function applyActiveModel(store: ModelStore, inference: WorkerBridge<InferenceApi>): Promise<string | null> {
  const id = await store.active();
  const model = id ? await store.get(id) : null;
  if (!model) {
    await inference.call((w) => w.useFusionModel(null));
    return null;
  }
  const weights = model.weights.slice(0);
  await inference.call((w) => w.useFusionModel(Comlink.transfer({ metadata: model.metadata, weights }, [weights])));
  return model.version;
}
