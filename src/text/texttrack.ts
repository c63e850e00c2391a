/**
 * Cues from a media element's embedded text track (HTMLMediaElement.textTracks), in the Cue shape of subtitles.ts.
 * Browser-only at run time; takes a structural type so it can be tested without a DOM.
 */
import { stripCueMarkup, type Cue } from './subtitles';

/** The part of TextTrack this helper reads. */
export type TextTrackLike = Pick<TextTrack, 'mode'> & { cues: ArrayLike<{ startTime: number; endTime: number; text?: string }> | null };

/**
 * Reads the track's cues. A 'disabled' track has no cues loaded, so it is switched to 'hidden' (loads without
 * rendering); cues of a track that is still loading arrive later — call again on the track element's `load` event.
 */
export function cuesFromTextTrack(track: TextTrackLike): Cue[] {
  if (track.mode === 'disabled') track.mode = 'hidden';
  const list = track.cues;
  if (!list) return [];
  const cues: Cue[] = [];
  for (let i = 0; i < list.length; i++) {
    const cue = list[i];
    const text = stripCueMarkup(cue.text ?? '');
    if (text && Number.isFinite(cue.startTime) && cue.endTime >= cue.startTime) {
      cues.push({ start: cue.startTime, end: cue.endTime, text });
    }
  }
  return cues.sort((a, b) => a.start - b.start);
}
