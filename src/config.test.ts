import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDotEnv } from './config.js';

const emptyDir = () => mkdtempSync(path.join(tmpdir(), 'kefu-config-'));

describe('loadConfig', () => {
  it('has defaults that run with nothing set', () => {
    const config = loadConfig({}, emptyDir());
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './data', KNOWLEDGE_DIR: './knowledge', HANDOFF_AFTER_FAILED_TURNS: 3, AUTO_PUBLISH: true, SQLITE_SYNCHRONOUS: 'normal', SQLITE_WAL_CHECKPOINTS: 'inline' });
    expect(config.AGENT_TOKEN).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', HANDOFF_AFTER_FAILED_TURNS: '0', AGENT_TOKEN: 'short' }, emptyDir())).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' }, emptyDir());
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT="eighty"/);
      expect((error as Error).message).toMatch(/DATABASE_URL=/);
    }
  });

  it('names bad storage and memory settings', () => {
    const message = (() => {
      try {
        loadConfig({ SQLITE_SYNCHRONOUS: 'fast', SQLITE_WAL_CHECKPOINTS: 'thread', HEAP_GROWTH_PERCENT: '-5', DEDUPE_KEY_RETENTION_DAYS: '0' }, emptyDir());
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/SQLITE_SYNCHRONOUS="fast"/u);
    expect(message).toMatch(/SQLITE_WAL_CHECKPOINTS="thread"/u);
    expect(message).toMatch(/HEAP_GROWTH_PERCENT="-5"/u);
    expect(message).toMatch(/DEDUPE_KEY_RETENTION_DAYS="0"/u);
  });

  it('reads .env, and the environment wins', () => {
    const dir = emptyDir();
    writeFileSync(path.join(dir, '.env'), '# comment\nPORT=4000\nDATA_DIR="/tmp/kefu data" # trailing\nHANDOFF_AFTER_FAILED_TURNS=5\n');
    const config = loadConfig({ PORT: '5000' }, dir);
    expect(config.PORT).toBe(5000);
    expect(config.DATA_DIR).toBe('/tmp/kefu data');
    expect(config.HANDOFF_AFTER_FAILED_TURNS).toBe(5);
  });

  it('turns handoff on request and automatic assignment on by default, and off when asked', () => {
    expect(loadConfig({}, emptyDir())).toMatchObject({ HANDOFF_ON_REQUEST: true, HANDOFF_AUTO_ASSIGN: true });
    expect(loadConfig({ HANDOFF_ON_REQUEST: 'false', HANDOFF_AUTO_ASSIGN: 'no' }, emptyDir())).toMatchObject({ HANDOFF_ON_REQUEST: false, HANDOFF_AUTO_ASSIGN: false });
    expect(() => loadConfig({ HANDOFF_AUTO_ASSIGN: 'sometimes' }, emptyDir())).toThrow(/HANDOFF_AUTO_ASSIGN/);
  });

  it('documents both switches in .env.example with their defaults', () => {
    const example = readFileSync(path.resolve('.env.example'), 'utf8');
    for (const name of ['HANDOFF_ON_REQUEST', 'HANDOFF_AUTO_ASSIGN']) expect(example).toMatch(new RegExp(`^${name}=true$`, 'm'));
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ AGENT_TOKEN: '', DATABASE_URL: ' ' }, emptyDir()).DATABASE_URL).toBeUndefined();
  });

  it('parses .env syntax', () => {
    expect(parseDotEnv("export A=1\nB='two words'\n\nC = 3 # note\nnot a line")).toEqual({ A: '1', B: 'two words', C: '3' });
  });
});
