import {
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';
import type { PageRequest } from '../paging';

/*
 * Keyset paging of the lists that answer one row per area, community or project: a page is the
 * rows after a sort key (`?after=`, the last id of the page before), at most `?limit=` of them,
 * read from the index in that order, so a page costs its own rows however large the district is
 * (never an offset, which costs every row skipped). The body stays the array it always was; when
 * there are more rows, a `Link: <...?after=<last id>&limit=n>; rel="next"` header says where the
 * next page is (RFC 8288, as GitHub's API pages). A list shorter than a page is answered as before.
 */

export const LIST_PAGE_LIMIT_DEFAULT = 500;
export const LIST_PAGE_LIMIT_MAX = 1000;

/** The query fields of a paged list; merge them into the route's own query schema. */
export const PageQueryFields = {
  limit: z.coerce.number().int().min(1).max(LIST_PAGE_LIMIT_MAX).default(LIST_PAGE_LIMIT_DEFAULT),
  after: z.string().min(1).max(128).optional(),
};

/** A page of a list, and the sort key to continue after (null: the list ends here). */
export interface ListPage<T> {
  readonly items: T[];
  readonly next: string | null;
}

/**
 * The page of `rows` read with one row more than the limit: the extra row only tells that the
 * list goes on, and the page's last key is where the next one starts.
 */
export function pageFromOneMore<T>(rows: T[], limit: number, keyOf: (row: T) => string): ListPage<T> {
  if (rows.length <= limit) return { items: rows, next: null };
  const items = rows.slice(0, limit);
  return { items, next: keyOf(items[items.length - 1]) };
}

/** A page of a whole list held in memory (answers folded from the log), in the same key order. */
export function pageOfList<T>(rows: readonly T[], keyOf: (row: T) => string, page: PageRequest): ListPage<T> {
  const sorted = [...rows].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const from =
    page.after === undefined ? sorted : sorted.filter((row) => compareKeys(keyOf(row), page.after!) > 0);
  return pageFromOneMore(from.slice(0, page.limit + 1), page.limit, keyOf);
}

/**
 * A page of a list known by its keys in order (a folded view's ids, sorted once): the page's
 * start is found by a binary search and only its rows are made, so a page costs its own rows.
 */
export function pageOfSortedKeys<T>(
  sortedKeys: readonly string[],
  rowOf: (key: string) => T,
  page: PageRequest,
): ListPage<T> {
  let from = 0;
  if (page.after !== undefined) {
    let hi = sortedKeys.length;
    while (from < hi) {
      const mid = (from + hi) >> 1;
      if (compareKeys(sortedKeys[mid], page.after) <= 0) from = mid + 1;
      else hi = mid;
    }
  }
  const keys = pageFromOneMore(sortedKeys.slice(from, from + page.limit + 1), page.limit, (k) => k);
  return { items: keys.items.map(rowOf), next: keys.next };
}

/** Keys in the read stores' order, for pageOfSortedKeys. */
export const sortKeys = (keys: Iterable<string>): string[] => [...keys].sort(compareKeys);

/** The keys' order in the read stores (MongoDB's simple collation, SQLite's BINARY): code units. */
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The request's own URL with `after` and `limit` set: where the next page is. */
export function nextPageUrl(url: string, next: string, limit: number): string {
  const parsed = new URL(url, 'http://registry.invalid');
  parsed.searchParams.set('after', next);
  parsed.searchParams.set('limit', String(limit));
  return `${parsed.pathname}${parsed.search}`;
}

const isPage = (value: unknown): value is ListPage<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as ListPage<unknown>).items) &&
  'next' in value;

/** Answers a route's Page as its rows, with the Link to the next page when there is one. */
@Injectable()
export class PageLinks implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((answer: unknown) => {
        if (!isPage(answer)) return answer;
        if (answer.next !== null) {
          const limit =
            Number((request.query as { limit?: unknown } | undefined)?.limit) || LIST_PAGE_LIMIT_DEFAULT;
          void reply.header('link', `<${nextPageUrl(request.url, answer.next, limit)}>; rel="next"`);
        }
        return answer.items;
      }),
    );
  }
}

/** A route that returns a ListPage<T>: answered as T[] with a Link to the next page. */
export const Paged = (): MethodDecorator & ClassDecorator => UseInterceptors(PageLinks);
