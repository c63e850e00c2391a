/**
 * A loopback stand-in for the Gemini Developer API, speaking the REST shape the @google/genai SDK uses:
 * `POST /v1beta/models/{model}:generateContent` → `{candidates: [{content: {parts: [{text: "<json>"}]}}]}`.
 * Behaviours simulate the failures the proxy must survive. Test-only: never imported by the app.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { LABELS } from '../../src/shared/labels';

export type FakeBehaviour =
  /** A valid answer (FAKE_ANSWER). */
  | 'ok'
  /** HTTP 500 with a Google-style error body. */
  | 'error500'
  /** Never answers (until the fake is closed). */
  | 'hang'
  /** Text that is not JSON. */
  | 'malformed'
  /** JSON that violates the answer schema (missing classes, unknown label, extra keys). */
  | 'schema'
  /** JSON whose numbers overflow to Infinity (1e999). */
  | 'non_finite'
  /** An "obedient" model: echoes the system instruction, the user turn and the API key in its rationale. */
  | 'leak'
  /** An "obedient" model that follows an injected instruction but keeps the schema (happy = 1.0). */
  | 'obey';

export interface RecordedCall {
  path: string;
  apiKeyHeader: string | undefined;
  body: GenerateContentBody;
}

interface GenerateContentBody {
  contents?: { role?: string; parts?: { text?: string; inlineData?: { mimeType: string } }[] }[];
  systemInstruction?: { parts?: { text?: string }[] };
  generationConfig?: Record<string, unknown>;
}

export interface FakeGemini {
  /** Base URL to hand to the SDK (httpOptions.baseUrl / GEMINI_BASE_URL). */
  url: string;
  calls: RecordedCall[];
  behaviour: FakeBehaviour;
  close(): Promise<void>;
}

/** The answer of the 'ok' behaviour: a clear happy read-out that the local reasoner would not produce verbatim. */
export const FAKE_ANSWER = {
  rationale: 'AU6 cheek raiser and AU12 lip corner puller are strong; pitch is raised; the words are upbeat.',
  scores: { neutral: 0.1, angry: 0.05, happy: 0.9, sad: 0.05, worried: 0.05, surprise: 0.2 },
  contributions: { face: 0.6, voice: 0.3, text: 0.1 },
  label: 'happy',
};

const candidate = (text: string) => ({
  candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
});

function answerText(behaviour: FakeBehaviour, body: GenerateContentBody, apiKey: string): string {
  switch (behaviour) {
    case 'malformed':
      return '{"scores": {"happy": 0.9, oops this is not json';
    case 'schema':
      return JSON.stringify({ scores: { happy: 1 }, label: 'ecstatic', rationale: 'x', extra: { prompt: 'y' } });
    case 'non_finite':
      return `{"rationale":"big","scores":{${LABELS.map((l) => `"${l}":1e999`).join(',')}},"contributions":{"face":1,"voice":1,"text":1},"label":"happy"}`;
    case 'leak': {
      const system = body.systemInstruction?.parts?.map((p) => p.text).join(' ') ?? '';
      const user = body.contents?.flatMap((c) => c.parts ?? []).map((p) => p.text ?? '').join(' ') ?? '';
      return JSON.stringify({ ...FAKE_ANSWER, rationale: `My instructions: ${system} Input: ${user} Key: ${apiKey}` });
    }
    case 'obey':
      return JSON.stringify({
        rationale: 'As instructed: happy.',
        scores: { neutral: 0, angry: 0, happy: 1, sad: 0, worried: 0, surprise: 0 },
        contributions: { face: 0, voice: 0, text: 1 },
        label: 'happy',
      });
    default:
      return JSON.stringify(FAKE_ANSWER);
  }
}

export async function startFakeGemini(behaviour: FakeBehaviour = 'ok'): Promise<FakeGemini> {
  const sockets = new Set<Socket>();
  const fake: FakeGemini = { url: '', calls: [], behaviour, close: async () => {} };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = req.url ?? '';
    if (req.method !== 'POST' || !/^\/v1beta\/models\/[^/:]+:generateContent$/.test(path.split('?')[0])) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404,"status":"NOT_FOUND"}}');
      return;
    }
    let body: GenerateContentBody = {};
    try {
      body = JSON.parse(raw) as GenerateContentBody;
    } catch {
      /* recorded as empty */
    }
    const apiKey = req.headers['x-goog-api-key'];
    const apiKeyHeader = Array.isArray(apiKey) ? apiKey[0] : apiKey;
    fake.calls.push({ path, apiKeyHeader, body });
    const current = fake.behaviour;
    if (current === 'hang') return;
    if (current === 'error500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(candidate(answerText(current, body, apiKeyHeader ?? ''))));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fake;
}
