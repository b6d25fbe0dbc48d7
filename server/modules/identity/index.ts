/** The identity module's surface for other modules. */
export { canAssignRole, canManageBusiness } from './policy.ts';
