import { z } from 'zod';

/**
 * Paging of the answers that grow with the years (an entity's history, a timeline): `?limit=`
 * entries at most (100 unless asked, 1000 at most) and `?after=` the position the previous page
 * ended at, answered as `next` while there is more. A position is the plain place of an entry in
 * a history ordered by effective date, then recording order (see positionOf), so a page goes on
 * where the last one ended even when a backfilled decision was recorded meanwhile.
 */

export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 1000;

/** `2014-06-01.0000000012`, with more `.NNNNNNNNNN` parts for an entry placed after another. */
const POSITION = /^\d{4}-\d{2}-\d{2}(\.\d{10})+$/;
const SEQ_DIGITS = 10;

/** The query parameters of a paged answer, to spread into a route's query schema. */
export const PAGE_PARAMS = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT_MAX)
    .default(PAGE_LIMIT_DEFAULT)
    .meta({ description: `Entries per page, 1 to ${PAGE_LIMIT_MAX} (default ${PAGE_LIMIT_DEFAULT})` }),
  after: z
    .string()
    .regex(POSITION, 'must be a position answered as `next` by the previous page')
    .optional()
    .meta({ description: 'The `next` of the previous page: the entries after it' }),
};

/** A paged answer's query (`?limit=&after=`), refused with the field named when malformed. */
export const PageQuery = z.strictObject(PAGE_PARAMS);

export interface PageRequest {
  readonly limit: number;
  readonly after?: string;
}

/** The first page, as a request without paging parameters asks for it. */
export const FIRST_PAGE: PageRequest = { limit: PAGE_LIMIT_DEFAULT };

export interface Page<T> {
  readonly entries: T[];
  /** Where the next page starts (pass it as `?after=`); undefined on the last page. */
  readonly next?: string;
}

/**
 * The position of an entry effective on `effectiveAt` (a date or an instant; its date counts) and
 * recorded `seq`-th; `then` places entries right after it (e.g. its corrections, in their order).
 * Positions compare as strings in the order of the history.
 */
export function positionOf(effectiveAt: string, seq: number, ...then: number[]): string {
  return [effectiveAt.slice(0, 10), ...[seq, ...then].map((n) => String(n).padStart(SEQ_DIGITS, '0'))].join(
    '.',
  );
}

/**
 * One page of a history already in order (its positions ascending): the first `limit` entries
 * after `after`, and `next` when more follow.
 */
export function pageOf<T>(ordered: readonly T[], position: (entry: T) => string, page: PageRequest): Page<T> {
  const from = page.after === undefined ? 0 : ordered.findIndex((entry) => position(entry) > page.after!);
  if (from < 0) return { entries: [] };
  return pageFrom(ordered.slice(from, from + page.limit + 1), position, page.limit);
}

/**
 * A page from the entries read after the cursor: read `limit + 1` of them, and the one beyond the
 * page tells that there is more (its predecessor's position is `next`).
 */
export function pageFrom<T>(entries: readonly T[], position: (entry: T) => string, limit: number): Page<T> {
  if (entries.length <= limit) return { entries: [...entries] };
  const shown = entries.slice(0, limit);
  return { entries: shown, next: position(shown[shown.length - 1]) };
}
