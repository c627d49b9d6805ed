import { nextPageUrl, pageFromOneMore, pageOfList, PageQueryFields } from './keyset-page';
import { z } from 'zod';

describe('keyset pages of a list', () => {
  const rows = ['c', 'a', 'e', 'b', 'd'].map((id) => ({ id }));
  const key = (r: { id: string }) => r.id;

  it('reads one row more than the limit to know whether the list goes on', () => {
    expect(pageFromOneMore(rows.slice(0, 3), 2, key)).toEqual({ items: rows.slice(0, 2), next: 'a' });
    expect(pageFromOneMore(rows.slice(0, 2), 2, key)).toEqual({ items: rows.slice(0, 2), next: null });
  });

  it('pages a list held in memory by key, after the last key seen', () => {
    expect(pageOfList(rows, key, { limit: 2 })).toEqual({ items: [{ id: 'a' }, { id: 'b' }], next: 'b' });
    expect(pageOfList(rows, key, { limit: 2, after: 'b' })).toEqual({
      items: [{ id: 'c' }, { id: 'd' }],
      next: 'd',
    });
    expect(pageOfList(rows, key, { limit: 2, after: 'd' })).toEqual({ items: [{ id: 'e' }], next: null });
    expect(pageOfList(rows, key, { limit: 2, after: 'zz' })).toEqual({ items: [], next: null });
  });

  it('links the next page from the request URL, keeping its other parameters', () => {
    expect(nextPageUrl('/api/districts/chengguan/areas?asOf=2014-01-01&after=a1', 'a9', 500)).toBe(
      '/api/districts/chengguan/areas?asOf=2014-01-01&after=a9&limit=500',
    );
  });

  it('takes a limit of 1 to 1000, 500 by default, and a non-empty cursor', () => {
    const query = z.strictObject(PageQueryFields);
    expect(query.parse({})).toEqual({ limit: 500 });
    expect(query.parse({ limit: '1000', after: 'x' })).toEqual({ limit: 1000, after: 'x' });
    for (const bad of [{ limit: '0' }, { limit: '1001' }, { limit: '1.5' }, { after: '' }])
      expect(query.safeParse(bad).success).toBe(false);
  });
});
