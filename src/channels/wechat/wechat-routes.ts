/**
 * `GET|POST /channels/wechat` and `/channels/wecom`: the callback URL of an Official Account or
 * a WeCom app. GET answers the URL check; POST takes a push and answers with a passive reply
 * (encrypted in safe mode) or `success`. Only these routes read XML bodies.
 *
 * @module
 */
import express, { Router } from 'express';
import { ChannelPayloadError } from '../channel-errors.js';
import type { WechatAccount } from './wechat-account.js';
import { callbackQuerySchema, openCallback, sealReply, verifyCallbackUrl } from './wechat-callback.js';
import type { WechatInboundHandler } from './wechat-inbound.js';
import { inboundMessageSchema, parseWechatXml, textReplyXml } from './wechat-xml.js';

/** The router of one account, mounted at its callback path. */
export function wechatRoutes(account: WechatAccount, handler: WechatInboundHandler, clock: () => Date): Router {
  const router = Router();
  router.use(express.text({ type: ['text/xml', 'application/xml', 'text/plain'], limit: '64kb' }));

  router.get('/', (request, response) => {
    const body = verifyCallbackUrl(account, callbackQuerySchema.parse(request.query));
    response.type('text/plain').send(body);
  });

  router.post('/', async (request, response) => {
    const query = callbackQuerySchema.parse(request.query);
    const body: unknown = request.body;
    if (typeof body !== 'string' || body === '') throw new ChannelPayloadError('wechat_body_invalid', 'expected an XML body (text/xml)');
    const opened = openCallback(account, query, body);
    const message = parseWechatXml(opened.xml, inboundMessageSchema);
    const reply = await handler.handle(message);
    if (reply.kind === 'ack') {
      response.type('text/plain').send('success');
      return;
    }
    const now = Math.floor(clock().getTime() / 1000);
    response.type('application/xml').send(sealReply(account, textReplyXml(message, reply.text, now), opened.encrypted, now));
  });

  return router;
}
