/**
 * What each channel factory contributes to `createChannels`.
 *
 * @module
 */
import type { Router } from 'express';
import type { Channel } from './channel.js';
import type { ChannelDeps } from './create-channels.js';
import type { CustomerConversations } from './customer-conversations.js';

/** `ChannelDeps` with the defaults filled in and the shared identity service. */
export type SharedChannelDeps = ChannelDeps & { clock: () => Date; customers: CustomerConversations };

/** One configured channel: its routes (under `/channels`), its outbound adapter, its background work. */
export interface ChannelPart {
  /** Mount path under `/channels`, e.g. `/wechat`. */
  path: string;
  router: Router;
  channel: Channel;
  start?(): void;
  stop?(): Promise<void> | void;
}
