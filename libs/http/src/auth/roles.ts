export const ROLES = ['officer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Auditors only read: every state-changing route needs one of these unless it says otherwise. */
export const COMMAND_ROLES: readonly Role[] = ['officer', 'admin'];
export const READ_ROLES: readonly Role[] = ROLES;
