/**
 * Reading frames of a media file in the browser: a hidden, muted <video> is opened on a blob URL and seeked to each
 * sample time; every seek has a deadline so a broken file gives an error, never a hang. Frames leave as ImageBitmaps
 * (scaled down to `maxSide`), ready to be transferred to the face worker.
 */

export interface OpenedMedia {
  video: HTMLVideoElement;
  duration: number;
  hasVideo: boolean;
  width: number;
  height: number;
  close(): void;
}

/** Raised for files the browser cannot open as media at all. */
export class MediaOpenError extends Error {
  override name = 'MediaOpenError';
}

function waitForEvent(target: EventTarget, ok: string[], fail: string[], timeoutMs: number, what: string, signal?: AbortSignal): Promise<Event> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      for (const e of ok) target.removeEventListener(e, onOk);
      for (const e of fail) target.removeEventListener(e, onFail);
      signal?.removeEventListener('abort', onAbort);
    };
    const onOk = (e: Event) => {
      cleanup();
      resolve(e);
    };
    const onFail = (e: Event) => {
      cleanup();
      reject(new MediaOpenError(`${what} failed (${e.type})`));
    };
    const onAbort = () => {
      cleanup();
      reject(new DOMException('The operation was aborted', 'AbortError'));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new MediaOpenError(`${what} did not finish within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    for (const e of ok) target.addEventListener(e, onOk);
    for (const e of fail) target.addEventListener(e, onFail);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);
  });
}

function mediaErrorText(video: HTMLVideoElement): string {
  const err = video.error;
  if (!err) return '';
  const kinds: Record<number, string> = { 1: 'aborted', 2: 'network error', 3: 'decode error', 4: 'format not supported' };
  return `${kinds[err.code] ?? `error ${err.code}`}${err.message ? `: ${err.message}` : ''}`;
}

/** Opens a file in a detached <video> and reads its metadata (duration, size). */
export async function openMedia(file: Blob, signal?: AbortSignal, timeoutMs = 20_000): Promise<OpenedMedia> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  const close = () => {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  };
  try {
    const loaded = waitForEvent(video, ['loadedmetadata'], ['error'], timeoutMs, 'reading the file header', signal);
    video.src = url;
    try {
      await loaded;
    } catch (err) {
      if (err instanceof MediaOpenError && video.error) throw new MediaOpenError(`the browser cannot open this file as audio or video (${mediaErrorText(video)})`);
      throw err;
    }
    let duration = video.duration;
    if (!Number.isFinite(duration)) {
      // Streams recorded by MediaRecorder have no duration in the header: seeking far forces the demuxer to find it.
      const changed = waitForEvent(video, ['durationchange', 'seeked'], ['error'], timeoutMs, 'finding the duration', signal);
      video.currentTime = 1e9;
      await changed;
      duration = video.duration;
      video.currentTime = 0;
    }
    if (!(duration > 0) || !Number.isFinite(duration)) throw new MediaOpenError('the file has no playable duration');
    return { video, duration, hasVideo: video.videoWidth > 0, width: video.videoWidth, height: video.videoHeight, close };
  } catch (err) {
    close();
    throw err;
  }
}

/** Seeks to `time` and returns the frame as an ImageBitmap whose long side is at most `maxSide`. */
export async function grabFrame(media: OpenedMedia, time: number, timeoutMs: number, maxSide = 640, signal?: AbortSignal): Promise<ImageBitmap> {
  const { video } = media;
  if (Math.abs(video.currentTime - time) > 1e-4 || video.readyState < 2) {
    const seeked = waitForEvent(video, ['seeked'], ['error'], timeoutMs, `seeking to ${time.toFixed(2)} s`, signal);
    video.currentTime = time;
    await seeked;
  }
  if (video.readyState < 2) {
    await waitForEvent(video, ['loadeddata', 'canplay'], ['error'], timeoutMs, `decoding the frame at ${time.toFixed(2)} s`, signal);
  }
  const scale = Math.min(1, maxSide / Math.max(media.width, media.height));
  const w = Math.max(1, Math.round(media.width * scale));
  const h = Math.max(1, Math.round(media.height * scale));
  return createImageBitmap(video, scale < 1 ? { resizeWidth: w, resizeHeight: h, resizeQuality: 'low' } : {});
}
