// The demo-booking module's worker adapter: no jobs of its own (its emails are the outbox's
// email.send jobs, core's).
import { defineModuleWorker } from "@plinth/platform/worker";
import { demoBookingModule } from "./index.ts";

export const worker = defineModuleWorker(demoBookingModule, { handlers: {} });
