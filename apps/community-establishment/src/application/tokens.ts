/** Injection tokens of the establishment service's ports; the storage ones are shared (libs/hosting). */
export { EVENT_STORE, READ_STORE } from '#libs/hosting';
export const ESTABLISHMENT_POLICY = 'ESTABLISHMENT_POLICY';
