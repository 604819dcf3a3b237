import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The packages only an optional engine, channel, model or KB file format needs. `npm start` on
 * embedded defaults must not load them (the Bot Framework SDK alone is about 40 MB of memory), so
 * they are imported dynamically where configured; a static import would quietly bring them back.
 */
const OPTIONAL = ['botframework-connector', 'botframework-schema', 'openai', '@langchain/core', '@langchain/textsplitters', '@qdrant/js-client-rest', 'pg', 'exceljs', 'fast-xml-parser'];

const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gmu;

/** Every package reachable from `entry` through static, value imports of our own files. */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (specifier === undefined || specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/u, '.ts')));
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
    }
  };
  visit(entry);
  return packages;
}

describe('what the service loads on embedded defaults', () => {
  it('reaches no optional package through a static import', () => {
    const packages = staticPackages(path.resolve('src/main.ts'));
    expect(packages).toContain('express'); // the walk does reach the app's own dependencies
    expect(OPTIONAL.filter((name) => packages.has(name))).toEqual([]);
  });
});
