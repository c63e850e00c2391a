/**
 * Where the widget finds its models: the `models-base` attribute, else `models/` next to the widget script
 * (import.meta.url of the built module), so one <script> tag works from any folder without configuration.
 */
export function modelsBaseUrl(attribute: string | null, scriptUrl: string = import.meta.url): string {
  // The standalone build (vite.widget.config.ts) ships models/ beside the script; inside the app (dev server,
  // dist/widget.html) they are the app's own public models/.
  const standalone = import.meta.env.VITE_WIDGET_STANDALONE === '1';
  const fallback = standalone ? new URL('./models/', scriptUrl) : new URL(`${import.meta.env.BASE_URL}models/`, document.baseURI);
  const base = attribute?.trim() ? new URL(attribute.trim(), document.baseURI) : fallback;
  return base.href.replace(/\/?$/, '/');
}

export type WidgetErrorCode = 'camera-denied' | 'no-camera' | 'unsupported' | 'model-load' | 'bad-file' | 'worker';

export class WidgetError extends Error {
  constructor(readonly code: WidgetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WidgetError';
  }
}

/** Maps a getUserMedia failure to a typed widget error. */
export function mediaError(err: unknown): WidgetError {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return new WidgetError('camera-denied', 'Camera/microphone permission was denied.', { cause: err });
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') {
    return new WidgetError('no-camera', name === 'NotReadableError' ? 'The camera is in use by another application.' : 'No camera was found.', { cause: err });
  }
  return new WidgetError('unsupported', `The camera could not be opened: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
