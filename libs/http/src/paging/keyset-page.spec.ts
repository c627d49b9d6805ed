import {
  nextPageUrl,
  pageFromOneMore,
  pageOfList,
  pageOfSorted,
  pageOfSortedKeys,
  PageQueryFields,
  sortedByKey,
} from './keyset-page';
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

  it('pages keys sorted once as it pages the rows, making only the rows of the page', () => {
    const keys = sortedByKey(['a10', 'b', 'a9', 'Z', 'a1', 'c', 'a2'], (k) => k);
    expect(keys).toEqual(['Z', 'a1', 'a10', 'a2', 'a9', 'b', 'c']);
    const made: string[] = [];
    const rowOf = (id: string) => (made.push(id), { id });
    const all = keys.map((id) => ({ id }));
    for (const after of [undefined, 'Z', 'a0', 'a10', 'a9', 'c', 'zz'])
      for (const limit of [1, 2, 3, 10]) {
        made.length = 0;
        const page = pageOfSortedKeys(keys, rowOf, { limit, after });
        expect(page).toEqual(pageOfList(all, key, { limit, after }));
        expect(made).toEqual(page.items.map((r) => r.id));
      }
  });

  it('pages a list sorted once by key, finding the cursor by bisection', () => {
    const sorted = sortedByKey(rows, key);
    expect(sorted.map(key)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(rows.map(key)).toEqual(['c', 'a', 'e', 'b', 'd']);
    expect(pageOfSorted(sorted, key, { limit: 2 })).toEqual({ items: [{ id: 'a' }, { id: 'b' }], next: 'b' });
    expect(pageOfSorted(sorted, key, { limit: 2, after: 'b' })).toEqual({
      items: [{ id: 'c' }, { id: 'd' }],
      next: 'd',
    });
    expect(pageOfSorted(sorted, key, { limit: 2, after: 'd' })).toEqual({ items: [{ id: 'e' }], next: null });
    // A cursor between keys (its row gone since) or before them all.
    expect(pageOfSorted(sorted, key, { limit: 2, after: 'bb' })).toEqual({
      items: [{ id: 'c' }, { id: 'd' }],
      next: 'd',
    });
    expect(pageOfSorted(sorted, key, { limit: 5, after: '' })).toEqual({ items: sorted, next: null });
    expect(pageOfSorted(sorted, key, { limit: 2, after: 'e' })).toEqual({ items: [], next: null });
    expect(pageOfSorted([], key, { limit: 2 })).toEqual({ items: [], next: null });
    // Code-unit order, as the read stores sort: upper case before lower case, not locale order.
    expect(sortedByKey([{ id: 'b' }, { id: 'B' }, { id: 'a' }], key).map(key)).toEqual(['B', 'a', 'b']);
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
