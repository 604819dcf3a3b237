import { describe, expect, it } from 'vitest';
import { pointUuid, uuidV5 } from './qdrant-point-id.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('qdrant point ids', () => {
  it('computes RFC 9562 version-5 UUIDs (the DNS example of Python’s uuid.uuid5)', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('maps a point id to the same UUID on every run, and different ids to different UUIDs', () => {
    // Values from Python: uuid.uuid5(UUID(POINT_ID_NAMESPACE), id).
    expect(pointUuid('returns:0')).toBe('51f20b44-56cd-5a18-b520-5fcfe7b46714');
    expect(pointUuid('退货:0')).toBe('3e9bacc2-546b-5742-9573-bf29792a8a26');
    expect(pointUuid('returns:1')).not.toBe(pointUuid('returns:0'));
    expect(pointUuid('returns:1')).toMatch(UUID_V5);
  });
});
