/**
 * The Analyze tab: drop or pick a media file (plus an optional .srt/.vtt), watch progress with stage and ETA,
 * cancel at any time, then explore the result: player with the landmark overlay while scrubbing, synced timeline
 * plots, a segment table (click to seek) and JSON/CSV/WebVTT exports. The same `analyzeFile` is exposed as
 * `window.emotionLensAnalyze` for the batch CLI (scripts/analyze.ts).
 */
import { exportFileName, labelRuns, toCsv, toJson, toWebVtt } from '../analysis/export';
import { AnalysisError, analyzeFile, type AnalysisProgress, type AnalysisRun } from '../analysis/pipeline';
import type { AnalysisOptions, AnalysisResult } from '../analysis/types';
import { injectAnalyzeStyles } from './analyze-styles';
import { renderTimeline, type Timeline } from './analyze-timeline';
import { showNotice } from './notices';
import { drawLandmarks } from './overlay';

const SUBTITLE_EXT = /\.(srt|vtt)$/i;
const MEDIA_EXT = /\.(mp4|m4v|webm|mov|mkv|ogv|wav|mp3|ogg|oga|opus|m4a|aac|flac)$/i;

const MARKUP = `
  <div id="analyze-drop" class="analyze-drop" tabindex="0" role="button" aria-label="Drop a video or audio file, or press to choose one">
    <p><strong>Drop a video or audio file here</strong> (optionally with its .srt/.vtt subtitles), or press to choose.</p>
    <p class="small-print">mp4 (H.264/AAC), webm, mov where the browser decodes it, wav, mp3, ogg, m4a, flac. Nothing is uploaded.</p>
    <input id="analyze-file" type="file" multiple hidden accept="video/*,audio/*,.srt,.vtt,.mkv,.mov,.flac,.m4a" />
  </div>
  <input id="analyze-cli-file" type="file" multiple hidden aria-hidden="true" />
  <div class="analyze-options">
    <label>Frames per second <input id="analyze-fps" type="number" min="0.1" max="30" step="0.1" value="5" /></label>
    <label>Segment length (s) <input id="analyze-segment" type="number" min="0.5" max="30" step="0.5" value="2" /></label>
    <label><input id="analyze-priors" type="checkbox" checked /> Reasoning priors</label>
  </div>
  <div class="analyze-progress">
    <progress id="analyze-progress" max="1" value="0"></progress>
    <span id="analyze-stage" class="state"></span>
    <span id="analyze-eta" class="state"></span>
    <button id="analyze-cancel" disabled>Cancel</button>
  </div>
  <p id="analyze-status" class="state" data-state="idle" aria-live="polite">No file analysed yet.</p>
  <ul id="analyze-warnings"></ul>
  <div id="analyze-results" hidden>
    <div class="analyze-exports">
      <button id="analyze-export-json">Export JSON</button>
      <button id="analyze-export-csv">Export CSV</button>
      <button id="analyze-export-vtt">Export WebVTT captions</button>
    </div>
    <div class="analyze-grid">
      <div>
        <div class="video-wrap"><video id="analyze-video" controls playsinline></video><canvas id="analyze-overlay"></canvas></div>
        <p id="analyze-now" class="mono"></p>
      </div>
      <div id="analyze-timeline"></div>
    </div>
    <table id="analyze-table" class="analyze-table">
      <thead><tr><th>time</th><th>label</th><th>conf.</th><th>top AUs</th><th>prosody</th><th>transcript</th><th>prior rationale</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>`;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function fmtTime(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

/** Splits dropped/picked files into the media file and an optional subtitle file. */
export function pickFiles(files: readonly File[]): { media: File | null; subtitles: File | null } {
  const subtitles = files.find((f) => SUBTITLE_EXT.test(f.name)) ?? null;
  const media =
    files.find((f) => f !== subtitles && (/^(video|audio)\//.test(f.type) || MEDIA_EXT.test(f.name))) ??
    files.find((f) => f !== subtitles) ??
    null;
  return { media, subtitles };
}

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export function setupAnalyzeView(): void {
  const host = $('view-analyze');
  if (!host) return;
  injectAnalyzeStyles();
  host.innerHTML = MARKUP;
  const drop = $('analyze-drop');
  const picker = $<HTMLInputElement>('analyze-file');
  const cancelBtn = $<HTMLButtonElement>('analyze-cancel');
  const status = $('analyze-status');
  const video = $<HTMLVideoElement>('analyze-video');
  const overlay = $<HTMLCanvasElement>('analyze-overlay');
  let controller: AbortController | null = null;
  let current: AnalysisRun | null = null;
  let timeline: Timeline | null = null;
  let mediaUrl: string | null = null;

  const setStatus = (state: string, text: string) => {
    status.dataset.state = state;
    status.textContent = text;
  };
  const showProgress = (p: AnalysisProgress) => {
    ($('analyze-progress') as HTMLProgressElement).value = p.fraction;
    $('analyze-stage').textContent = `${p.stage}: ${Math.round(p.fraction * 100)}% · ${p.message}`;
    $('analyze-eta').textContent = p.etaSec === null ? '' : `ETA ${Math.ceil(p.etaSec)} s`;
  };
  const options = (): AnalysisOptions => ({
    fps: Number(($('analyze-fps') as HTMLInputElement).value),
    segmentSec: Number(($('analyze-segment') as HTMLInputElement).value),
    priors: ($('analyze-priors') as HTMLInputElement).checked,
  });

  const seek = (t: number) => {
    video.currentTime = t;
  };
  const onTime = () => {
    if (!current) return;
    const t = video.currentTime;
    timeline?.setTime(t);
    const { times, landmarks } = current.landmarks;
    let best = -1;
    let bestDist = Infinity;
    for (let i = 0; i < times.length; i++) {
      const d = Math.abs(times[i] - t);
      if (d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    // Only draw landmarks of a frame close to this time (a face that has left must not linger).
    const segSec = current.result.options.segmentSec;
    drawLandmarks(overlay, video, best >= 0 && bestDist <= Math.max(0.5, 1 / current.result.options.fps) ? landmarks[best] : undefined);
    const seg = current.result.segments.find((s) => t >= s.start && t < s.end) ?? null;
    $('analyze-now').textContent = seg ? `${fmtTime(t)} · ${seg.label} ${Math.round(seg.confidence * 100)}% · V ${seg.valence.toFixed(2)} A ${seg.arousal.toFixed(2)}` : fmtTime(t);
    for (const row of Array.from($('analyze-table').querySelectorAll<HTMLTableRowElement>('tbody tr'))) {
      const start = Number(row.dataset.start);
      row.classList.toggle('current', t >= start && t < start + segSec - 1e-6);
    }
  };
  video.addEventListener('timeupdate', onTime);
  video.addEventListener('seeked', onTime);

  const renderResult = (run: AnalysisRun, media: File) => {
    current = run;
    const r = run.result;
    $('analyze-results').hidden = false;
    if (mediaUrl) URL.revokeObjectURL(mediaUrl);
    mediaUrl = URL.createObjectURL(media);
    video.src = mediaUrl;
    timeline?.destroy();
    timeline = renderTimeline($('analyze-timeline'), r.segments, seek);
    const runStarts = new Set(labelRuns(r.segments).map((run) => run.segments[0]));
    const rows = r.segments.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.start = String(s.start);
      tr.dataset.label = s.label;
      if (runStarts.has(s.index)) tr.classList.add('run-start');
      tr.append(
        cell(`${fmtTime(s.start)}–${fmtTime(s.end)}`),
        cell(s.label, 'lbl'),
        cell(`${Math.round(s.confidence * 100)}%`),
        cell(s.face ? (s.face.presence > 0 ? s.face.topAus.map((a) => `${a.au} ${a.value.toFixed(2)}`).join(', ') : 'no face') : '—'),
        cell(s.voice?.notes.join(', ') ?? '—'),
        cell(s.transcript ?? ''),
        cell(s.prior?.rationale ?? s.rationale),
      );
      tr.addEventListener('click', () => seek(s.start + 1e-3));
      return tr;
    });
    $('analyze-table').querySelector('tbody')!.replaceChildren(...rows);
    $('analyze-warnings').replaceChildren(...r.warnings.map((w) => Object.assign(document.createElement('li'), { textContent: w.message, className: w.code })));
  };

  const run = async (files: readonly File[]) => {
    const { media, subtitles } = pickFiles(files);
    if (!media) {
      setStatus('error', subtitles ? 'Only a subtitle file was given: add the video or audio file it belongs to.' : 'No file was given.');
      return;
    }
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    cancelBtn.disabled = false;
    $('analyze-warnings').replaceChildren();
    setStatus('running', `Analysing ${media.name}${subtitles ? ` with ${subtitles.name}` : ''}…`);
    try {
      const out = await analyzeFile({ media, subtitles }, options(), { signal: ctl.signal, onProgress: showProgress });
      renderResult(out, media);
      const r = out.result;
      setStatus(r.partial ? 'partial' : 'done', `${r.partial ? 'Partial result: ' : ''}${r.segments.length} segments of ${media.name} in ${(r.timing.totalMs / 1000).toFixed(1)} s (${r.timing.realTimeFactor}× real time, ${r.backend}).`);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        setStatus('cancelled', 'Analysis cancelled; all work was stopped.');
      } else {
        const message = err instanceof AnalysisError ? err.message : `The analysis failed: ${err instanceof Error ? err.message : String(err)}`;
        setStatus('error', message);
        showNotice('analyze', message, 'error');
      }
      ($('analyze-progress') as HTMLProgressElement).value = 0;
      $('analyze-eta').textContent = '';
    } finally {
      if (controller === ctl) {
        controller = null;
        cancelBtn.disabled = true;
      }
    }
  };

  cancelBtn.addEventListener('click', () => controller?.abort());
  drop.addEventListener('click', () => picker.click());
  drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') picker.click();
  });
  picker.addEventListener('change', () => {
    if (picker.files?.length) void run(Array.from(picker.files));
    picker.value = '';
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer?.files.length) void run(Array.from(e.dataTransfer.files));
  });
  const exportAs = (kind: 'json' | 'csv' | 'vtt') => {
    if (!current) return;
    const r = current.result;
    const [text, type] = kind === 'json' ? [toJson(r), 'application/json'] : kind === 'csv' ? [toCsv(r), 'text/csv'] : [toWebVtt(r), 'text/vtt'];
    download(exportFileName(r.file.name, kind), text, type);
  };
  $('analyze-export-json').addEventListener('click', () => exportAs('json'));
  $('analyze-export-csv').addEventListener('click', () => exportAs('csv'));
  $('analyze-export-vtt').addEventListener('click', () => exportAs('vtt'));

  exposeForAutomation();
}

/** What the batch CLI and benchmarks receive: the result plus run diagnostics (no landmarks). */
export interface AutomationRun {
  result: AnalysisResult;
  diagnostics: AnalysisRun['diagnostics'];
}

/** `window.emotionLensAnalyze(file, options, subtitles?)` and `emotionLensAnalyzeInput(selector, options)`. */
function exposeForAutomation() {
  const analyze = async (media: File, options: AnalysisOptions = {}, subtitles?: File | null): Promise<AutomationRun> => {
    const { result, diagnostics } = await analyzeFile({ media, subtitles }, options);
    return { result, diagnostics };
  };
  Object.assign(globalThis, {
    emotionLensAnalyze: analyze,
    emotionLensAnalyzeInput: async (selector: string, options: AnalysisOptions = {}): Promise<AutomationRun | { error: string; code: string }> => {
      const input = document.querySelector<HTMLInputElement>(selector);
      const { media, subtitles } = pickFiles(Array.from(input?.files ?? []));
      if (!media) return { error: 'no media file given', code: 'no-file' };
      try {
        return await analyze(media, options, subtitles);
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err), code: err instanceof AnalysisError ? err.code : 'failed' };
      }
    },
  });
}
