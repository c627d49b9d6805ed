/** Injection tokens of the staffing and elections service's ports; the storage ones are shared (libs/hosting). */
export { EVENT_STORE, READ_STORE } from '#libs/hosting';
export const STAFFING_POLICY = 'STAFFING_POLICY';
