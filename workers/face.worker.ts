/** Face worker entry: MediaPipe FaceLandmarker off the main thread. */
import { expose } from 'comlink';
import { faceApi } from '../src/face/worker-api';

expose(faceApi);
