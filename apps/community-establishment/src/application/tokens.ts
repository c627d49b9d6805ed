/** Injection tokens of the establishment service's ports. */
export const EVENT_STORE = 'EVENT_STORE';
export const ESTABLISHMENT_POLICY = 'ESTABLISHMENT_POLICY';
/** Returns today's date (YYYY-MM-DD) at the edge; the domain never reads the clock. */
export const CLOCK = 'CLOCK';
export type Clock = () => Date;
/** The read store of this service: MongoDB (MONGODB_URL) or in memory (mingo). */
export const READ_STORE = 'READ_STORE';
