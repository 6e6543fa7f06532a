// The ai-tasks module's tRPC adapter: no procedures yet.
export const routers = {};
