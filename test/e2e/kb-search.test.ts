import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishKnowledge, rollbackKnowledge } from '../../src/knowledge/publish.js';
import { VersionRegistry } from '../../src/knowledge/version-registry.js';
import { openVectorStore } from '../../src/vector-store/open-vector-store.js';
import { agentHeaders, api, startTestService, type TestService, useTestService } from '../support/test-service.js';

let service: TestService;

useTestService((started) => (service = started));

describe('GET /api/v1/kb/search', () => {
  it('returns the live version and ranked entries with scores and retrievers', async () => {
    const result = await api(service.url, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('退款多久到账')}&k=3`, undefined, agentHeaders);
    expect(result.status).toBe(200);
    expect(result.body.version).toBe(1);
    expect(result.body.results).toHaveLength(3);
    expect(result.body.results[0]).toMatchObject({ entryId: 'refund-timeline', retrievers: ['sparse'], category: ['售后', '退款'] });
    expect(result.body.results[0].confidence).toBeGreaterThanOrEqual(result.body.results[1].confidence);
    expect(result.body.results[0].score).toBeGreaterThan(0);
  });

  it('filters by category and answers in the requested language', async () => {
    const result = await api(service.url, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('how long does a refund take')}&lang=en&category=${encodeURIComponent('售后')}`, undefined, agentHeaders);
    expect(result.body.results.length).toBeGreaterThan(0);
    for (const entry of result.body.results) expect(entry.category[0]).toBe('售后');
    expect(result.body.results[0].answer).toMatch(/refund/i);
  });

  it('needs the agent token and a query', async () => {
    expect((await api(service.url, 'GET', '/api/v1/kb/search?q=x')).status).toBe(401);
    expect((await api(service.url, 'GET', '/api/v1/kb/search?q=', undefined, agentHeaders)).status).toBe(400);
    expect((await api(service.url, 'GET', '/api/v1/kb/search?q=a&k=999', undefined, agentHeaders)).status).toBe(400);
  });
});

describe('operational routes', () => {
  it('serves Prometheus metrics labelled by route, never by conversation id', async () => {
    const created = await api(service.url, 'POST', '/api/v1/conversations', {});
    await api(service.url, 'POST', `/api/v1/conversations/${created.body.id}/messages`, { text: '运费多少' });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/api\/v1\/conversations\/:id\/messages",status="200"\} 1/);
    expect(metrics).not.toContain(created.body.id);
    expect(metrics).toMatch(/process_resident_memory_bytes/);
  });
});

describe('a running server follows the live version', () => {
  const MARS = 'entries:\n  - id: mars-delivery\n    questions:\n      zh: [星际快递能送到火星吗]\n    answer:\n      zh: 目前只配送到地球上的地址。\n';

  async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('serves a newly published version and a rollback within seconds, without a restart or a failed turn', { timeout: 60_000 }, async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kefu-switch-'));
    const knowledgeDir = path.join(root, 'kb');
    cpSync(path.resolve('knowledge'), knowledgeDir, { recursive: true });
    const running = await startTestService({ KNOWLEDGE_DIR: knowledgeDir, KB_RELOAD_INTERVAL_MS: '100' });
    try {
      // What `npm run ingest` does from another process: its own registry and store on the same data.
      const registry = new VersionRegistry(running.dataDir);
      const { store: vectorStore } = await openVectorStore({ dataDir: running.dataDir, qdrantCollectionPrefix: 'kefu_kb' });
      const search = async (q: string) => (await api(running.url, 'GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}&k=3`, undefined, agentHeaders)).body;
      expect((await search('星际快递能送到火星吗')).version).toBe(1);

      // Customers keep talking while the version switches under them.
      const { body: conversation } = await api(running.url, 'POST', '/api/v1/conversations', {});
      const turns: Array<{ status: number; kbVersion: unknown }> = [];
      let talking = true;
      const chatter = (async () => {
        while (talking) {
          const turn = await api(running.url, 'POST', `/api/v1/conversations/${conversation.id}/messages`, { text: '退款多久能到账' });
          turns.push({ status: turn.status, kbVersion: turn.body.reply?.citations?.[0]?.kbVersion });
        }
      })();
      await until(async () => turns.length >= 2);
      mkdirSync(path.join(knowledgeDir, '服务', '星际配送'));
      writeFileSync(path.join(knowledgeDir, '服务', '星际配送', 'faq.yaml'), MARS);
      const published = await publishKnowledge({ knowledgeDir, registry, vectorStore, author: 'e2e' });
      expect(published).toMatchObject({ status: 'published', version: 2, changes: { added: ['mars-delivery'] } });
      await until(async () => (await search('星际快递能送到火星吗')).version === 2);
      const seen = turns.length;
      await until(async () => turns.length >= seen + 2);
      talking = false;
      await chatter;

      expect(turns.every((turn) => turn.status === 200)).toBe(true);
      expect(new Set(turns.map((turn) => turn.kbVersion))).toEqual(new Set([1, 2]));
      expect(turns.at(-1)?.kbVersion).toBe(2);
      expect((await search('星际快递能送到火星吗')).results[0]).toMatchObject({ entryId: 'mars-delivery', category: ['服务', '星际配送'] });

      await rollbackKnowledge(registry, vectorStore, 1);
      await until(async () => (await search('星际快递能送到火星吗')).version === 1);
      expect((await search('星际快递能送到火星吗')).results.map((result: { entryId: string }) => result.entryId)).not.toContain('mars-delivery');
      const after = await api(running.url, 'POST', `/api/v1/conversations/${conversation.id}/messages`, { text: '退款多久能到账' });
      expect(after.body.reply.citations[0]).toMatchObject({ entryId: 'refund-timeline', kbVersion: 1 });
    } finally {
      await running.destroy();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
