import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/fusion/node-tf';
import { untrainedBase } from './base';
import { IdbModelStore, MemoryModelStore, openModelStore } from './store';
import type { ModelArtifacts } from './types';

describe('model store', () => {
  let model: ModelArtifacts;
  beforeAll(async () => {
    await useNodeBackend('cpu');
    model = await untrainedBase();
  });

  it('saves atomically, keeps the newest 5, tracks the active model and survives reopening', async () => {
    const store = await IdbModelStore.open('test-keep', 5);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const info = await store.save({ metadata: { ...model.metadata, version: `v${i}` }, weights: model.weights });
      ids.push(info.id);
      expect(await store.active()).toBe(info.id);
    }
    const list = await store.list();
    expect(list.map((m) => m.version)).toEqual(['v6', 'v5', 'v4', 'v3', 'v2']);
    expect(await store.get(ids[0])).toBeNull();
    store.close();

    const again = await IdbModelStore.open('test-keep', 5);
    expect(await again.active()).toBe(ids[6]);
    const stored = await again.get(ids[6]);
    expect(new Uint8Array(stored!.weights)).toEqual(new Uint8Array(model.weights));
    await again.setActive(ids[4]); // rollback
    expect(await again.active()).toBe(ids[4]);
    await again.remove(ids[4]);
    expect(await again.active()).toBeNull(); // back to the base model
    await again.setActive(null);
    expect((await again.list()).length).toBe(4);
    again.close();
  });

  it('falls back to memory (and says why) when IndexedDB is missing', async () => {
    const store = new MemoryModelStore('no IndexedDB', 2);
    expect(store.persistent).toBe(false);
    for (let i = 0; i < 3; i++) await store.save(model);
    expect((await store.list()).length).toBe(2);
    const real = await openModelStore('test-open');
    expect(real.persistent).toBe(true);
  });
});
