import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pointsFileText, readPointsFile } from './points-file.js';
import type { IndexPoint } from './vector-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kefu-points-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const point = (id: string): IndexPoint => ({ id, entryId: id, lang: 'zh', sparse: { indices: [1, 4294967295], values: [0.25, 1.5] }, category: ['售后'], tags: ['退款😀'] });

async function read(name: string, text: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const points: IndexPoint[] = [];
  const header = await readPointsFile(file, (one) => points.push(one));
  return { header, points };
}

describe('points file', () => {
  it('streams back every point and the header it was written with', async () => {
    const { header, points } = await read('three.json', pointsFileText({ version: 3, denseSize: 2 }, [point('a'), point('b'), { ...point('c'), dense: [0.5, -0.5] }]));
    expect(header).toEqual({ version: 3, denseSize: 2 });
    expect(points).toEqual([point('a'), point('b'), { ...point('c'), dense: [0.5, -0.5] }]);
  });

  it('writes every field of a point, and none that is unset', async () => {
    const { lang: _lang, ...withoutLang } = point('e');
    const { points } = await read('fields.json', pointsFileText({ version: 1 }, [withoutLang, { ...point('f'), id: '条目:0', entryId: '条目' }]));
    expect(Object.keys(points[0] ?? {}).sort()).toEqual(['category', 'entryId', 'id', 'sparse', 'tags']);
    expect(points[1]).toEqual({ ...point('f'), id: '条目:0', entryId: '条目' });
  });

  it('reads a version without points, and the older one-line UTF-8 layout', async () => {
    expect(await read('empty.json', pointsFileText({ version: 1 }, []))).toEqual({ header: { version: 1 }, points: [] });
    expect(await read('old.json', JSON.stringify({ version: 2, points: [point('a')] }))).toEqual({ header: { version: 2 }, points: [point('a')] });
  });

  it('rejects a file cut short, a point that is not one, and text after the end', async () => {
    const whole = pointsFileText({ version: 1 }, [point('a'), point('b')]);
    await expect(read('cut.json', whole.slice(0, whole.lastIndexOf(']}')))).rejects.toThrow(/ends before its last point/u);
    await expect(read('half-line.json', whole.slice(0, whole.indexOf('"b"')))).rejects.toThrow();
    await expect(read('bad-point.json', whole.replace('"entryId":"a"', '"entryId":7'))).rejects.toThrow();
    await expect(read('bad-sparse.json', whole.replace('"values":[0.25,1.5]', '"values":[0.25]'))).rejects.toThrow(/differ in length/u);
    await expect(read('trailing.json', `${whole}{"more":1}\n`)).rejects.toThrow(/after the end/u);
  });
});
