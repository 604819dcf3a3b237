/**
 * A model for end-to-end tests: each call is answered by the structured output it asks for.
 * Tests script the grounded answer (and any other call they care about); the rest get calm,
 * plausible replies (neutral emotion, a confident faq intent, the latest message as the
 * standalone question), so only what a test changes differs between tests.
 */
import type { ChatReply, ChatRequestView } from './fake-openai-server.js';

/** The name of the JSON schema a request asks for (`grounded_answer`, `emotion`, …). */
export function formatOf(request: ChatRequestView): string | undefined {
  return request.body.response_format?.json_schema?.name;
}

/** The passage ids of a grounded-answer request, in prompt order. */
export function passageIds(request: ChatRequestView): string[] {
  return [...request.user.matchAll(/<passage id="([^"]+)"/g)].map((match) => match[1] as string);
}

/** The customer's latest message in a rewrite request. */
export function latestCustomerMessage(request: ChatRequestView): string {
  return /<customer_message>\n([\s\S]*?)\n<\/customer_message>/.exec(request.user)?.[1] ?? '';
}

const DEFAULTS: Record<string, (request: ChatRequestView) => ChatReply> = {
  standalone_question: (request) => ({ json: { question: latestCustomerMessage(request) } }),
  emotion: () => ({ json: { emotion: 'neutral', intensity: 0 } }),
  intent_prediction: () => ({ json: { intent: 'faq', confidence: 0.9, runner_up: { intent: 'out_of_scope', confidence: 0.1 } } }),
  handoff_summary: () => ({ json: { wants: '想找人工处理', tried: '机器人答复了相关规定', mood: '平静' } }),
};

/** A `respondWith` handler: `grounded` answers grounded-answer calls, `overrides` replace any default by format name. */
export function scriptedModel(
  grounded: (ids: string[], request: ChatRequestView) => ChatReply,
  overrides: Record<string, (request: ChatRequestView) => ChatReply> = {},
): (request: ChatRequestView) => ChatReply {
  return (request) => {
    const format = formatOf(request);
    if (format === 'grounded_answer') return grounded(passageIds(request), request);
    const reply = format === undefined ? undefined : (overrides[format] ?? DEFAULTS[format]);
    return reply ? reply(request) : { text: 'ok' };
  };
}
