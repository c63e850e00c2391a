/**
 * The fine-tuned model store: IndexedDB (one database, object stores `models` and `state`), keeping the last N
 * models. Saving is atomic — the new model, the pruning of the oldest and the "active" pointer are written in ONE
 * readwrite transaction, so a crash or a full disk leaves the previous state intact. Without IndexedDB (private
 * mode, blocked storage) a MemoryModelStore keeps models for this page only, and `persistent` says so.
 */
import type { FusionMetadata } from '../fusion/metadata';
import type { ModelArtifacts } from './types';

export const MODEL_DB_NAME = 'emotion-lens-models';
const DB_VERSION = 1;
export const KEEP_MODELS = 5;

export interface StoredModelInfo {
  id: string;
  version: string;
  createdAt: number;
  labels: string[];
  schema: Record<'face' | 'voice' | 'text', string>;
  metrics: Record<string, unknown>;
  bytes: number;
}

export interface StoredModel extends StoredModelInfo, ModelArtifacts {}

export interface ModelStore {
  readonly persistent: boolean;
  /** Why the store is not persistent (shown to the user). */
  readonly reason?: string;
  list(): Promise<StoredModelInfo[]>;
  get(id: string): Promise<StoredModel | null>;
  /** Saves, prunes to the newest `keep`, and makes it active — atomically. */
  save(model: ModelArtifacts): Promise<StoredModelInfo>;
  /** Active model id; null = the base model. */
  active(): Promise<string | null>;
  setActive(id: string | null): Promise<void>;
  remove(id: string): Promise<void>;
}

export class StoreFullError extends Error {
  constructor(cause: unknown) {
    super('The browser storage is full: the model was kept in memory for this page only. Delete old models or free up space.', { cause });
    this.name = 'StoreFullError';
  }
}

let lastCreated = 0;
/** Strictly increasing timestamps, so "newest" is well defined even for saves within one millisecond. */
function createdNow(): number {
  lastCreated = Math.max(Date.now(), lastCreated + 1);
  return lastCreated;
}

export function infoOf(id: string, model: ModelArtifacts, createdAt = createdNow()): StoredModelInfo {
  const m: FusionMetadata = model.metadata;
  return {
    id,
    version: m.version,
    createdAt,
    labels: [...m.labels],
    schema: { face: m.branches.face.schema, voice: m.branches.voice.schema, text: m.branches.text.schema },
    metrics: m.metrics ?? {},
    bytes: model.weights.byteLength,
  };
}

let counter = 0;
const newId = () => `m${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });
}

export class IdbModelStore implements ModelStore {
  readonly persistent = true;
  private constructor(private readonly db: IDBDatabase, private readonly keep: number) {}

  static async open(name = MODEL_DB_NAME, keep = KEEP_MODELS, factory: IDBFactory = indexedDB): Promise<IdbModelStore> {
    const open = factory.open(name, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('models')) db.createObjectStore('models', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
      if (!db.objectStoreNames.contains('state')) db.createObjectStore('state');
    };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
      open.onblocked = () => reject(new Error('The model database is blocked by another tab.'));
    });
    return new IdbModelStore(db, keep);
  }

  async list(): Promise<StoredModelInfo[]> {
    const tx = this.db.transaction('models', 'readonly');
    const all = await request(tx.objectStore('models').getAll() as IDBRequest<StoredModel[]>);
    return all.map(({ metadata: _m, weights: _w, ...info }) => info).sort((a, b) => b.createdAt - a.createdAt);
  }

  async get(id: string): Promise<StoredModel | null> {
    const tx = this.db.transaction('models', 'readonly');
    return ((await request(tx.objectStore('models').get(id))) as StoredModel | undefined) ?? null;
  }

  async save(model: ModelArtifacts): Promise<StoredModelInfo> {
    const info = infoOf(newId(), model);
    const tx = this.db.transaction(['models', 'state'], 'readwrite');
    const models = tx.objectStore('models');
    const finished = done(tx);
    try {
      models.put({ ...info, metadata: model.metadata, weights: model.weights } satisfies StoredModel);
      const keys = (await request(models.index('createdAt').getAllKeys())) as IDBValidKey[];
      // Oldest first; the new one is last. Drop all but the newest `keep`.
      for (const key of keys.slice(0, Math.max(0, keys.length - this.keep))) models.delete(key);
      tx.objectStore('state').put(info.id, 'active');
      await finished;
    } catch (err) {
      try {
        tx.abort();
      } catch {
        /* already finished */
      }
      await finished.catch(() => undefined);
      if (err instanceof DOMException && err.name === 'QuotaExceededError') throw new StoreFullError(err);
      throw err;
    }
    return info;
  }

  async active(): Promise<string | null> {
    const tx = this.db.transaction('state', 'readonly');
    return ((await request(tx.objectStore('state').get('active'))) as string | undefined) ?? null;
  }

  async setActive(id: string | null): Promise<void> {
    const tx = this.db.transaction('state', 'readwrite');
    const finished = done(tx);
    if (id) tx.objectStore('state').put(id, 'active');
    else tx.objectStore('state').delete('active');
    await finished;
  }

  async remove(id: string): Promise<void> {
    const tx = this.db.transaction(['models', 'state'], 'readwrite');
    const finished = done(tx);
    tx.objectStore('models').delete(id);
    const state = tx.objectStore('state');
    if ((await request(state.get('active'))) === id) state.delete('active');
    await finished;
  }

  close(): void {
    this.db.close();
  }
}

/** Page-lifetime store used when IndexedDB is unavailable or full. */
export class MemoryModelStore implements ModelStore {
  readonly persistent = false;
  private models = new Map<string, StoredModel>();
  private activeId: string | null = null;
  constructor(readonly reason = 'IndexedDB is not available', private readonly keep = KEEP_MODELS) {}

  async list(): Promise<StoredModelInfo[]> {
    return [...this.models.values()].map(({ metadata: _m, weights: _w, ...info }) => info).sort((a, b) => b.createdAt - a.createdAt);
  }
  async get(id: string): Promise<StoredModel | null> {
    return this.models.get(id) ?? null;
  }
  async save(model: ModelArtifacts): Promise<StoredModelInfo> {
    const info = infoOf(newId(), model);
    this.models.set(info.id, { ...info, ...model });
    const sorted = [...this.models.values()].sort((a, b) => a.createdAt - b.createdAt);
    for (const m of sorted.slice(0, Math.max(0, sorted.length - this.keep))) this.models.delete(m.id);
    this.activeId = info.id;
    return info;
  }
  async active(): Promise<string | null> {
    return this.activeId;
  }
  async setActive(id: string | null): Promise<void> {
    this.activeId = id;
  }
  async remove(id: string): Promise<void> {
    this.models.delete(id);
    if (this.activeId === id) this.activeId = null;
  }
}

/** IndexedDB when it opens, else a memory store that says why. */
export async function openModelStore(name = MODEL_DB_NAME): Promise<ModelStore> {
  if (typeof indexedDB === 'undefined') return new MemoryModelStore('IndexedDB is not available in this browser');
  try {
    return await IdbModelStore.open(name);
  } catch (err) {
    return new MemoryModelStore(`IndexedDB could not be opened (${err instanceof Error ? err.message : String(err)})`);
  }
}
