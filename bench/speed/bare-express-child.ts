/**
 * @module Child-process entry for the ceiling: a bare Express app on the same route shape that
 * parses the JSON body and returns a fixed JSON, nothing else. Reports its URL over IPC.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';

const FIXED = { reply: { text: 'ok', intent: 'faq', confidence: 1, citations: [] }, status: 'bot', failedTurns: 0, handoff: null, messages: [] };

const app = express();
app.use(express.json());
app.post('/api/v1/conversations/:id/messages', (_request, response) => {
  response.json(FIXED);
});
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}`, agentToken: '' });
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
