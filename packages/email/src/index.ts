export * from "./templates.ts";
export * from "./auth-templates.ts";
export * from "./send.ts";
export { parseEmailEnv, emailEnv, type EmailEnv } from "./env.ts";
export * from "./transports.ts";
