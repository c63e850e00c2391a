/**
 * Gemini prior provider over the official @google/genai SDK. The SDK (2.32, Gemini Developer API) posts to
 * `${baseUrl}/v1beta/models/${model}:generateContent` with the key in the `x-goog-api-key` header
 * (node_modules/@google/genai/dist/node/index.mjs: getRequestUrlInternal + generateContentInternal), so a loopback
 * fake that speaks that path can stand in for Google in tests (server/testing/fake-gemini.ts).
 */
import { GoogleGenAI, type Part } from '@google/genai';
import type { SegmentSummary } from '../src/shared/types';
import { RESPONSE_SCHEMA, SYSTEM_INSTRUCTION, buildUserPrompt } from '../src/priors/prompt';
import type { PriorRequest } from '../src/priors/schema';

export interface GeminiConfig {
  /** Server-side key (GEMINI_API_KEY). Never sent to clients or logged. */
  apiKey: string;
  /** Default 'gemini-2.5-flash'. */
  model?: string;
  /** Override of https://generativelanguage.googleapis.com (GEMINI_BASE_URL), e.g. a loopback fake. */
  baseUrl?: string;
  /** Upstream timeout per call in ms. Default 8000. */
  timeoutMs?: number;
}

export const DEFAULT_GEMINI_MODEL = 'gemini-2.5-flash';

/** Why an upstream answer was not used; only this code (never upstream text) reaches logs. */
export type UpstreamFailure = 'timeout' | 'http' | 'empty' | 'malformed_json' | 'schema' | 'leak';

export class UpstreamError extends Error {
  constructor(readonly code: UpstreamFailure) {
    super(`upstream ${code}`);
  }
}

export interface PriorModel {
  readonly model: string;
  /** Parsed JSON answer (unvalidated) for a normalised summary. */
  generate(summary: SegmentSummary, media: PriorRequest['media'], signal: AbortSignal): Promise<unknown>;
}

export function createGeminiModel(config: GeminiConfig): PriorModel {
  const model = config.model ?? DEFAULT_GEMINI_MODEL;
  const ai = new GoogleGenAI({
    apiKey: config.apiKey,
    httpOptions: { ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}), timeout: config.timeoutMs ?? 8000 },
  });
  return {
    model,
    async generate(summary, media, signal) {
      const parts: Part[] = [
        { text: buildUserPrompt(summary, { keyframes: media?.keyframes?.length ?? 0, audio: Boolean(media?.audio) }) },
      ];
      for (const frame of media?.keyframes ?? []) parts.push({ inlineData: { mimeType: 'image/jpeg', data: frame } });
      if (media?.audio) parts.push({ inlineData: { mimeType: media.audio.mimeType, data: media.audio.data } });
      let text: string | undefined;
      try {
        const response = await ai.models.generateContent({
          model,
          contents: [{ role: 'user', parts }],
          config: {
            systemInstruction: SYSTEM_INSTRUCTION,
            responseMimeType: 'application/json',
            responseSchema: RESPONSE_SCHEMA as never,
            temperature: 0,
            maxOutputTokens: 1024,
            // Flash models think by default; the prior is a short structured read-out, so thinking only adds latency.
            ...(/flash/.test(model) ? { thinkingConfig: { thinkingBudget: 0 } } : {}),
            abortSignal: signal,
          },
        });
        // Thought summaries (thinking models) are not part of the answer.
        text = response.candidates?.[0]?.content?.parts?.filter((p) => !p.thought).map((p) => p.text ?? '').join('');
      } catch {
        throw new UpstreamError(signal.aborted ? 'timeout' : 'http');
      }
      if (!text) throw new UpstreamError('empty');
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new UpstreamError('malformed_json');
      }
    },
  };
}
