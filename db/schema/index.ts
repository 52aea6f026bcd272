export { branches } from "./branches.ts";
export { guarantors } from "./guarantors.ts";
