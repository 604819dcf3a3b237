/**
 * @module Reads a V8 `.cpuprofile` (from `node --cpu-prof`) into the shares that say where the
 * time goes: self time per function and per file, and inclusive time of our own functions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const profileSchema = z.object({
  nodes: z.array(z.object({
    id: z.number(),
    callFrame: z.object({ functionName: z.string(), url: z.string() }),
    children: z.array(z.number()).optional(),
  })),
  samples: z.array(z.number()),
});

/** One function or file and its share of the busy (non-idle) samples. */
export interface ProfileShare {
  name: string;
  share: number;
}

/** The summary of one profile. */
export interface ProfileSummary {
  busySamples: number;
  selfByFunction: ProfileShare[];
  selfByFile: ProfileShare[];
  /** Functions under `src/`, by the share of samples with them anywhere on the stack. */
  inclusiveOurs: ProfileShare[];
  /** Areas (`src/<folder>`, `node_modules/<package>`, `node:<module>`) by the share of samples with them anywhere on the stack. */
  inclusiveByArea: ProfileShare[];
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

function label(frame: { functionName: string; url: string }, root: string): { fn: string; file: string } {
  const file = frame.url === '' ? '(native)' : path.relative(root, frame.url.replace(/^file:\/\//u, ''));
  // Line numbers are left out: under tsx they point into transpiled code.
  return { fn: `${frame.functionName || '(anonymous)'} ${file}`, file };
}

/** Summarizes `file`; paths are shown relative to `root`. */
export function summarizeCpuProfile(file: string, root: string, top = 12): ProfileSummary {
  const profile = profileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const selfFiles = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  // Our code runs from `src/` through tsx, or compiled from `dist/src/`.
  const ourSources = [path.join(root, 'src'), path.join(root, 'dist', 'src')].map((dir) => `${dir}${path.sep}`);
  const gcOrIdle = (name: string) => IDLE.has(name) && name !== '(garbage collector)';
  for (const sample of profile.samples) {
    const node = byId.get(sample);
    if (!node || gcOrIdle(node.callFrame.functionName)) continue;
    busy += 1;
    const { fn, file: source } = label(node.callFrame, root);
    self.set(fn, (self.get(fn) ?? 0) + 1);
    selfFiles.set(source, (selfFiles.get(source) ?? 0) + 1);
    const seen = new Set<string>();
    const seenAreas = new Set<string>();
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) continue;
      const area = areaOf(label(frame, root).file);
      if (area) seenAreas.add(area);
      const url = frame.url.replace(/^file:\/\//u, '');
      if (ourSources.some((dir) => url.startsWith(dir))) seen.add(label(frame, root).fn);
    }
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
    for (const area of seenAreas) areas.set(area, (areas.get(area) ?? 0) + 1);
  }
  const ranked = (counts: Map<string, number>) =>
    [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, count]) => ({ name, share: busy === 0 ? 0 : count / busy }));
  return { busySamples: busy, selfByFunction: ranked(self), selfByFile: ranked(selfFiles), inclusiveOurs: ranked(inclusive), inclusiveByArea: ranked(areas) };
}

/** `src/rag`, `node_modules/kysely`, `node:_http_server`…; undefined for native frames. */
function areaOf(file: string): string | undefined {
  const ours = /^(?:dist\/)?src\/([^/]+)\//u.exec(file);
  if (ours) return `src/${ours[1] ?? ''}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//u.exec(file);
  if (pkg) return `node_modules/${pkg[1] ?? ''}`;
  return file.startsWith('node:') ? file : undefined;
}
