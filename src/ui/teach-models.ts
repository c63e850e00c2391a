/**
 * The Teach view's model panel: saved fine-tuned models (newest first, last 5 kept), which one is live, one-click
 * rollback to an earlier one or to the base model, export to one file and a validated import.
 */
import * as Comlink from 'comlink';
import { BUNDLE_EXTENSION, exportBundle, importBundle } from '../finetune/bundle';
import { applyActiveModel } from '../finetune/client';
import { MemoryModelStore, openModelStore, StoreFullError, type ModelStore } from '../finetune/store';
import type { ModelArtifacts } from '../finetune/types';
import { inference } from './engine';

export class ModelPanel {
  store: ModelStore = new MemoryModelStore('not opened yet');
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;

  constructor(private readonly host: HTMLElement) {
    host.innerHTML = `
      <h3>Models</h3>
      <p id="teach-store-status" class="small-print"></p>
      <p>Live model: <strong id="teach-active-model">base model</strong>
        <button id="teach-use-base" type="button">Use base model</button></p>
      <ol id="teach-model-list" class="model-list"></ol>
      <label class="inline">Import a model file <input id="teach-import" type="file" accept="${BUNDLE_EXTENSION},.json,application/json" /></label>
      <p id="teach-model-status" role="status" aria-live="polite"></p>`;
    this.list = host.querySelector('#teach-model-list')!;
    this.status = host.querySelector('#teach-model-status')!;
    host.querySelector('#teach-use-base')!.addEventListener('click', () => void this.activate(null));
    const input = host.querySelector<HTMLInputElement>('#teach-import')!;
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.value = '';
      if (file) await this.importFile(file);
    });
  }

  async open(): Promise<void> {
    this.store = await openModelStore();
    const note = this.host.querySelector('#teach-store-status')!;
    note.textContent = this.store.persistent
      ? 'Fine-tuned models are saved in this browser (IndexedDB); the last 5 are kept.'
      : `Models cannot be saved in this browser (${this.store.reason}); they are kept in memory for this page only.`;
    await this.refresh();
    try {
      const version = await applyActiveModel(this.store, inference());
      this.setActiveName(version);
    } catch (err) {
      this.say(`The saved model could not be loaded: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  }

  private say(message: string, kind: 'ok' | 'error' = 'ok') {
    this.status.textContent = message;
    this.status.dataset.kind = kind;
  }

  private setActiveName(version: string | null) {
    this.host.querySelector('#teach-active-model')!.textContent = version ?? 'base model';
  }

  /** Saves a trained model (atomically) and makes it live; a full or missing store keeps it in memory. */
  async save(model: ModelArtifacts): Promise<void> {
    try {
      await this.store.save(model);
      this.say(`Saved ${model.metadata.version}${this.store.persistent ? '' : ' (in memory only)'}.`);
    } catch (err) {
      const message = err instanceof StoreFullError ? err.message : `Saving failed (${err instanceof Error ? err.message : String(err)}); the model is kept in memory for this page.`;
      if (this.store.persistent) {
        const memory = new MemoryModelStore(message);
        for (const info of await this.store.list()) {
          const m = await this.store.get(info.id);
          if (m) await memory.save({ metadata: m.metadata, weights: m.weights });
        }
        this.store = memory;
      }
      await this.store.save(model);
      this.say(message, 'error');
    }
    await this.refresh();
    this.setActiveName(await applyActiveModel(this.store, inference()));
  }

  async activate(id: string | null): Promise<void> {
    try {
      await this.store.setActive(id);
      this.setActiveName(await applyActiveModel(this.store, inference()));
      this.say(id ? 'Switched the live model.' : 'Back to the base model.');
      await this.refresh();
    } catch (err) {
      this.say(`Could not switch models: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  }

  async refresh(): Promise<void> {
    const [models, active] = await Promise.all([this.store.list(), this.store.active()]);
    this.list.replaceChildren();
    for (const m of models) {
      const li = document.createElement('li');
      li.dataset.id = m.id;
      li.dataset.active = String(m.id === active);
      const acc = typeof m.metrics.validationAccuracy === 'number' ? ` · held-out accuracy ${(m.metrics.validationAccuracy * 100).toFixed(0)}%` : '';
      const text = document.createElement('span');
      text.className = 'model-name';
      text.textContent = `${m.version} [${m.labels.join(', ')}]${acc}${m.id === active ? ' (live)' : ''}`;
      const use = document.createElement('button');
      use.type = 'button';
      use.textContent = 'Use';
      use.disabled = m.id === active;
      use.addEventListener('click', () => void this.activate(m.id));
      const exp = document.createElement('button');
      exp.type = 'button';
      exp.textContent = 'Export';
      exp.className = 'export';
      exp.addEventListener('click', () => void this.exportModel(m.id));
      const del = document.createElement('button');
      del.type = 'button';
      del.textContent = 'Delete';
      del.addEventListener('click', async () => {
        await this.store.remove(m.id);
        await this.refresh();
        this.setActiveName(await applyActiveModel(this.store, inference()));
      });
      li.append(text, ' ', use, ' ', exp, ' ', del);
      this.list.append(li);
    }
  }

  async exportModel(id: string): Promise<void> {
    const m = await this.store.get(id);
    if (!m) return;
    const blob = new Blob([exportBundle({ metadata: m.metadata, weights: m.weights })], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${m.version.replace(/[^\w.+-]/g, '_')}${BUNDLE_EXTENSION}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  async importFile(file: File): Promise<void> {
    try {
      const model = importBundle(await file.text());
      // Prove it loads in the inference worker before storing it.
      const weights = model.weights.slice(0);
      await inference().call((w) => w.useFusionModel(Comlink.transfer({ metadata: model.metadata, weights }, [weights])));
      await this.save(model);
      this.say(`Imported ${model.metadata.version} [${model.metadata.labels.join(', ')}] and made it live.`);
    } catch (err) {
      this.say(`Import refused: ${err instanceof Error ? err.message : String(err)}`, 'error');
      await applyActiveModel(this.store, inference()).catch(() => undefined);
    }
  }
}
