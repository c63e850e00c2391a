/** Worker entry of the file-analysis prosody extractor (see prosody-worker-api.ts). */
import { expose } from 'comlink';
import { prosodyApi } from './prosody-worker-api';

expose(prosodyApi);
