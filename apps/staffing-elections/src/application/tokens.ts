/** Injection tokens of the staffing and elections service's ports. */
export const EVENT_STORE = 'STAFFING_EVENT_STORE';
export const STAFFING_POLICY = 'STAFFING_POLICY';
