import { UpcasterChain } from '#libs/event-sourcing';

/**
 * The one place this service's stored event shapes are versioned (GUIDE §4.7): a step registered
 * here brings an older version of a type to the next, and the highest version of a type is the
 * version its events are read at everywhere (the command side, the projection, the relay, verify
 * and rebuild) and the version new events are written at. Empty: every type is at version 1,
 * as its contract in #libs/contracts says.
 */
export function staffingUpcasters(): UpcasterChain {
  return new UpcasterChain([]);
}
