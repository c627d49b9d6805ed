/** Injection tokens of the facility construction service's ports. */
export const EVENT_STORE = 'FACILITY_EVENT_STORE';
export const FACILITY_POLICY = 'FACILITY_POLICY';
