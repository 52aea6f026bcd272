export { branches } from "./branches.ts";
export { guarantors } from "./guarantors.ts";
export { scheduledRuns } from "./scheduled-runs.ts";
