import { fieldErrorsFromIssues } from './validation/zod-validation';
import { pageOf, PageQuery, positionOf } from './paging';

describe('paging of histories', () => {
  const entries = Array.from({ length: 5 }, (_, n) => ({ n, at: positionOf('2014-06-01', n) }));
  const at = (e: { at: string }) => e.at;

  it('positions follow the effective date, then the recording order, then what is placed after an entry', () => {
    const sorted = [
      positionOf('2014-06-01', 12),
      positionOf('2013-12-31T16:00:00.000Z', 900),
      positionOf('2014-06-01', 12, 3),
      positionOf('2014-06-01', 2),
      positionOf('2014-06-01', 13),
    ].sort();
    expect(sorted).toEqual([
      '2013-12-31.0000000900',
      '2014-06-01.0000000002',
      '2014-06-01.0000000012',
      '2014-06-01.0000000012.0000000003',
      '2014-06-01.0000000013',
    ]);
  });

  it('answers `limit` entries and `next` while more follow, and goes on after `next`', () => {
    const first = pageOf(entries, at, { limit: 2 });
    expect(first.entries.map((e) => e.n)).toEqual([0, 1]);
    const second = pageOf(entries, at, { limit: 2, after: first.next });
    expect(second.entries.map((e) => e.n)).toEqual([2, 3]);
    const last = pageOf(entries, at, { limit: 2, after: second.next });
    expect(last).toEqual({ entries: [entries[4]] });
    expect(pageOf(entries, at, { limit: 5 })).toEqual({ entries });
    expect(pageOf(entries, at, { limit: 5, after: positionOf('2099-01-01', 0) })).toEqual({ entries: [] });
  });

  it('refuses a bad limit or cursor with the field named, and defaults the limit to 100', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 100 });
    expect(PageQuery.parse({ limit: '1000' })).toEqual({ limit: 1000 });
    for (const [query, field] of [
      [{ limit: '0' }, 'query.limit'],
      [{ limit: '1001' }, 'query.limit'],
      [{ limit: 'ten' }, 'query.limit'],
      [{ limit: '2.5' }, 'query.limit'],
      [{ after: 'p-3' }, 'query.after'],
    ] as const) {
      const result = PageQuery.safeParse(query);
      expect(result.success).toBe(false);
      expect(fieldErrorsFromIssues(result.error!.issues, 'query').map((e) => e.field)).toEqual([field]);
    }
  });
});
