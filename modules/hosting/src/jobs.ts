// The hosting module's run kind: provisioning, updating and destroying a workspace on the core
// run engine (executor: ./executor.ts).
export const HOSTING_RUN_KIND = "hosting-provision";
