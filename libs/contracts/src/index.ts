export * from './districts';
export * from './establishment-events';
export * from './staffing-events';
export * from './facility-events';
export * from './envelope-schema';
export * from './catalogue';
export * from './personal-data';
export type { DomainEventDataOf, ReadonlyDeep } from './event-contract';
