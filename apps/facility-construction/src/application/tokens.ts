/** Injection tokens of the facility construction service's ports; the storage ones are shared (libs/hosting). */
export { EVENT_STORE, READ_STORE } from '#libs/hosting';
export const FACILITY_POLICY = 'FACILITY_POLICY';
