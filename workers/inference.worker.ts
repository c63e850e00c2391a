/** Inference worker entry: TensorFlow.js (webgpu → wasm → cpu) running the reasoner and the fusion model. */
import { expose } from 'comlink';
import { inferenceApi } from '../src/fusion/worker-api';

expose(inferenceApi);
