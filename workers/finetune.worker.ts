/** Fine-tune worker entry: BDCL fine-tuning of the fusion model on the user's clips (webgpu → wasm → cpu). */
import { expose } from 'comlink';
import { finetuneApi } from '../src/finetune/worker-api';

expose(finetuneApi);
