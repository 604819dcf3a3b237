/** Test support: a local OpenAI-compatible server validated against the official spec. */
export { startFakeOpenAi } from './fake-openai-server.js';
export type { ChatReply, ChatRequestView, FakeDelays, FakeOpenAi, RecordedRequest } from './fake-openai-server.js';
export { fakeEmbedding, toBase64Floats } from './fake-embeddings.js';
export { openAiRequestValidator } from './openapi-validator.js';
export { formatOf, latestCustomerMessage, passageIds, scriptedModel } from './scripted-model.js';
