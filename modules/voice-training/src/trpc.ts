// The voice-training module's tRPC adapter: no procedures yet.
export const routers = {};
