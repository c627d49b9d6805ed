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

/** The first page of a list, as a request without paging parameters asks for it. */
export const FIRST_LIST_PAGE: PageRequest = { limit: LIST_PAGE_LIMIT_DEFAULT };

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
  return pageOfSorted(sortedByKey(rows, keyOf), keyOf, page);
}

/** The rows in the order of their keys, as the read stores sort them: sort once, page often. */
export function sortedByKey<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  return [...rows].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
}

/**
 * A page of a list already sorted by key (sortedByKey; e.g. kept per date and revision): the
 * cursor is found by bisection, so a page costs its own rows, not the rows before it.
 */
export function pageOfSorted<T>(
  sorted: readonly T[],
  keyOf: (row: T) => string,
  page: PageRequest,
): ListPage<T> {
  let from = 0;
  if (page.after !== undefined) {
    let to = sorted.length;
    while (from < to) {
      const mid = (from + to) >> 1;
      if (compareKeys(keyOf(sorted[mid]), page.after) > 0) to = mid;
      else from = mid + 1;
    }
  }
  return pageFromOneMore(sorted.slice(from, from + page.limit + 1), page.limit, keyOf);
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
  const keys = pageOfSorted(sortedKeys, (k) => k, page);
  return { items: keys.items.map(rowOf), next: keys.next };
}

/** The read store condition of a keyset page: the rows whose sort key comes after the last one seen. */
export const afterKey = (field: string, page: PageRequest): Record<string, { $gt: string }> =>
  page.after === undefined ? {} : { [field]: { $gt: page.after } };

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

/**
 * A report answered as an object (its date and its rows under their own name, e.g. `entries`)
 * that says where its next page starts in `next`, absent on the last page.
 */
export interface ReportPage {
  readonly next?: string;
}

const isReportPage = (value: unknown): value is Required<ReportPage> =>
  typeof value === 'object' && value !== null && typeof (value as ReportPage).next === 'string';

/**
 * Answers a route's ListPage as its rows, and a report page (ReportPage) as it is, each with the
 * Link to the next page when there is one.
 */
@Injectable()
export class PageLinks implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const link = (after: string) => {
      const limit =
        Number((request.query as { limit?: unknown } | undefined)?.limit) || LIST_PAGE_LIMIT_DEFAULT;
      void reply.header('link', `<${nextPageUrl(request.url, after, limit)}>; rel="next"`);
    };
    return next.handle().pipe(
      map((answer: unknown) => {
        if (isPage(answer)) {
          if (answer.next !== null) link(answer.next);
          return answer.items;
        }
        if (isReportPage(answer)) link(answer.next);
        return answer;
      }),
    );
  }
}

/**
 * A route that returns a ListPage<T> (answered as T[]) or a ReportPage (answered as it is): with
 * a Link to the next page.
 */
export const Paged = (): MethodDecorator & ClassDecorator => UseInterceptors(PageLinks);
