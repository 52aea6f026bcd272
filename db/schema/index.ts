export { auditLog } from "./audit-log.ts";
export { branches } from "./branches.ts";
export { companies } from "./companies.ts";
export { guarantors } from "./guarantors.ts";
export { scheduledRuns } from "./scheduled-runs.ts";
export { sessions } from "./sessions.ts";
export { throttles } from "./throttles.ts";
export { users } from "./users.ts";
