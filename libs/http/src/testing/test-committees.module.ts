import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { z } from 'zod';
import { type Actor, NotFound, RuleViolation, WrongExpectedRevisionError } from '#libs/event-sourcing';
import { CurrentActor, DistrictScoped } from '../auth/decorators';
import { IDEMPOTENCY_STORE, Idempotent, IdempotencyKey } from '../idempotency/idempotency.interceptor';
import { ZodBody, ZodParams, ZodQuery } from '../validation/zod-validation';
import { InMemoryIdempotencyStore } from './in-memory-idempotency-store';

/** A miniature service that exercises the edge the way real controllers use it. */
export const EstablishCommitteeBody = z.strictObject({
  name: z.string().min(1),
  households: z.number().int().positive(),
  effectiveAt: z.iso.date(),
});
type EstablishCommitteeBody = z.infer<typeof EstablishCommitteeBody>;

const DistrictParams = z.strictObject({ district: z.string() });
const CommitteeParams = z.strictObject({ district: z.string(), committeeId: z.string().regex(/^c-\d+$/) });
const ListQuery = z.strictObject({ page: z.coerce.number().int().min(1).default(1) });

export class CommandLog {
  readonly calls: { actor: Actor; body: EstablishCommitteeBody; idempotencyKey?: string }[] = [];
}

@Controller('api/districts/:district/committees')
@DistrictScoped('district')
export class TestCommitteesController {
  constructor(private readonly log: CommandLog) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  async establish(
    @ZodParams(DistrictParams) params: z.infer<typeof DistrictParams>,
    @ZodBody(EstablishCommitteeBody) body: EstablishCommitteeBody,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<{ committeeId: string; district: string; establishedBy: string }> {
    // Slow enough that two concurrent retries would overlap without serialisation.
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (body.households < 1000) {
      throw new RuleViolation('EST-2', 'a community has 1000 to 3000 households', {
        households: body.households,
        minimum: 1000,
      });
    }
    if (body.name === 'stale') throw new WrongExpectedRevisionError('committee-c-1', 3, 4);
    if (body.name === 'crash') throw new Error('sqlite: disk I/O error at /secret/path/registry.db');
    this.log.calls.push({ actor, body, idempotencyKey });
    return {
      committeeId: `c-${this.log.calls.length}`,
      district: params.district,
      establishedBy: actor.subject,
    };
  }

  @Get()
  list(@ZodQuery(ListQuery) query: z.infer<typeof ListQuery>): { page: number; items: unknown[] } {
    return { page: query.page, items: [] };
  }

  @Get(':committeeId')
  get(@ZodParams(CommitteeParams) params: z.infer<typeof CommitteeParams>): { committeeId: string } {
    if (params.committeeId !== 'c-1') throw new NotFound('committee', params.committeeId);
    return { committeeId: params.committeeId };
  }
}

@Module({
  controllers: [TestCommitteesController],
  providers: [
    CommandLog,
    InMemoryIdempotencyStore,
    { provide: IDEMPOTENCY_STORE, useExisting: InMemoryIdempotencyStore },
  ],
})
export class TestCommitteesModule {}
