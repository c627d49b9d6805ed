import 'reflect-metadata';
import {
  METHOD_METADATA,
  PATH_METADATA,
  HTTP_CODE_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DecisionEnvelope, DecisionResult } from '#libs/event-sourcing';
import { InMemoryIdempotencyStore } from '../testing/in-memory-idempotency-store';
import { IdempotentRequests } from '../idempotency/idempotency.interceptor';
import { commandRoutes, type CommandRouteTable, type Decisions } from './command-routes';

const UpdateAreaHouseholds = z.strictObject({ areaId: z.string(), households: z.number().int() });

const TABLE = {
  updateHouseholds: {
    path: 'areas/:areaId/households',
    command: 'UpdateAreaHouseholds',
    schema: UpdateAreaHouseholds,
    rules: ['EST-9'],
    summary: "Record a change of an area's households (EST-9)",
  },
} satisfies CommandRouteTable;

const OPTIONS = { controllerParams: { district: z.enum(['chengguan', 'qilihe']) }, idParam: z.string() };

type Decided = {
  district: string;
  command: { type: string; data: Record<string, unknown> };
  envelope: DecisionEnvelope;
};

function routesWith(decided: Decided[]) {
  const Routes = commandRoutes(TABLE, OPTIONS);
  const routes = new Routes() as Record<string, unknown>;
  const decisions: Decisions = {
    today: () => '2026-12-03',
    decide: async (district, command, envelope) => {
      decided.push({ district, command, envelope });
      return {
        streamId: `district-${district}`,
        revision: decided.length,
        events: [],
      } satisfies DecisionResult;
    },
  };
  Object.assign(routes, { decisions, idempotency: new IdempotentRequests(new InMemoryIdempotencyStore()) });
  return {
    Routes,
    handler: (routes.updateHouseholds as (...args: unknown[]) => Promise<DecisionResult>).bind(routes),
  };
}

const actor = { subject: 'official-li-cg', roles: ['officer' as const], districtScope: 'chengguan' };
const request = (headers: Record<string, string> = {}) =>
  ({
    headers,
    actor,
    method: 'POST',
    url: '/api/districts/chengguan/areas/cg-a/households',
    routeOptions: { url: '/api/districts/:district/areas/:areaId/households' },
    params: { district: 'chengguan', areaId: 'cg-a' },
    body: { households: 1200 },
  }) as unknown as FastifyRequest;
const reply = () => {
  const headers: Record<string, string> = {};
  const r = {
    statusCode: 201,
    headers,
    header: (k: string, v: string) => ((headers[k] = v), r),
    status: (code: number) => ((r.statusCode = code), r),
  };
  return r;
};
const body = { households: 1200, effectiveAt: '2015-03-01', legalBasis: '城关区民发〔2015〕3号' };

describe('commandRoutes: one factory turns a table of commands into routes', () => {
  it('declares a POST route with its status, path parameters and the body without the path fields', () => {
    const { Routes } = routesWith([]);
    const handler = Routes.prototype.updateHouseholds as object;
    expect(Reflect.getMetadata(PATH_METADATA, handler)).toBe('areas/:areaId/households');
    expect(Reflect.getMetadata(METHOD_METADATA, handler)).toBe(1); // RequestMethod.POST
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, handler)).toBe(201);
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Routes, 'updateHouseholds') as Record<
      string,
      { index: number; data?: string; schema?: z.ZodType }
    >;
    const byIndex = Object.values(args).sort((a, b) => a.index - b.index);
    expect(byIndex.slice(0, 2).map((a) => a.data)).toEqual(['district', 'areaId']);
    const bodySchema = byIndex[2].schema as z.ZodObject;
    expect(Object.keys(bodySchema.shape)).toEqual(['households', 'effectiveAt', 'legalBasis']);
  });

  it('hands the command with its path fields, the envelope and the district to DECISIONS; the revision is the ETag', async () => {
    const decided: Decided[] = [];
    const { handler } = routesWith(decided);
    const r = reply();
    const result = await handler(
      'chengguan',
      'cg-a',
      body,
      request({ 'if-match': '"4"' }),
      r as unknown as FastifyReply,
    );
    expect(decided).toEqual([
      {
        district: 'chengguan',
        command: { type: 'UpdateAreaHouseholds', data: { households: 1200, areaId: 'cg-a' } },
        envelope: expect.objectContaining({
          context: { effectiveAt: '2015-03-01', actor },
          legalBasis: '城关区民发〔2015〕3号',
          expectedRevision: 4,
        }),
      },
    ]);
    expect(result.revision).toBe(1);
    expect(r.headers.etag).toBe('"1"');
  });

  it('replays the first answer for a repeated Idempotency-Key, deciding once', async () => {
    const decided: Decided[] = [];
    const { handler } = routesWith(decided);
    const headers = { 'idempotency-key': 'k-1' };
    const first = await handler(
      'chengguan',
      'cg-a',
      body,
      request(headers),
      reply() as unknown as FastifyReply,
    );
    const again = reply();
    const replayed = await handler(
      'chengguan',
      'cg-a',
      body,
      request(headers),
      again as unknown as FastifyReply,
    );
    expect(replayed).toEqual(first);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(decided).toHaveLength(1);
  });

  it('refuses a table whose summary does not name one of its rules', () => {
    expect(() =>
      commandRoutes({ x: { ...TABLE.updateHouseholds, rules: ['EST-9', 'EST-7'] } }, OPTIONS),
    ).toThrow(/summary does not name EST-7/);
  });
});
