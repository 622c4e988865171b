/** Supervision: live wallboard and agent grid for the console, scoped to a supervisor's teams. */
export { Supervision } from './live.ts';
export type { SupervisionOptions, Watcher } from './live.ts';
export { supervisionScope } from './scope.ts';
export type { Scope } from './scope.ts';
export { milestonesOf } from './milestones.ts';
export type { ContactView, EventView, Milestone } from './milestones.ts';
export { DayBoard, dayStats, dayStartIn, isTimeZone } from './wallboard.ts';
export { agentRows, waitingRows, wallboardTiles } from './views.ts';
export { StaffBook } from './staff.ts';
