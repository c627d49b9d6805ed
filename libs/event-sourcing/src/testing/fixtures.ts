import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../envelope';

export const testMetadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  effectiveAt: '2013-06-01',
  actor: { subject: 'clerk-chengguan', roles: ['district-clerk'], districtScope: '城关区' },
  legalBasis: '兰民发〔2013〕12号',
  ruleIds: ['EST-1'],
  correlationId: randomUUID(),
  causationId: null,
  ...overrides,
});

export const testEvent = (type: string, data: unknown = {}, overrides: Partial<NewEvent> = {}): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: testMetadata(),
  ...overrides,
});

/** A stream id no other test (or earlier run against a shared server) uses. */
export const uniqueStreamId = (prefix = 'contract'): string => `${prefix}-${randomUUID()}`;

/** Polls until the predicate holds; fails the test with `what` after the timeout. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
