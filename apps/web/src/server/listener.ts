// The web process's one PostgreSQL LISTEN connection (@plinth/db/notifications), shared by the
// caches that must hear other processes' changes: API keys (./api-keys.ts) and organization
// contexts (./organization-contexts.ts). Made on first use, kept on globalThis for Next's dev
// reloads.
import "server-only";
import { rootLogger } from "@plinth/core/root-logger";
import { createNotificationListener, type NotificationListener } from "@plinth/db/notifications";
import { env } from "~/env.ts";

const holder = globalThis as { plinthListener?: NotificationListener };

export function listener(): NotificationListener {
  if (holder.plinthListener) return holder.plinthListener;
  const log = rootLogger().child({ source: "listener" });
  holder.plinthListener = createNotificationListener({
    connectionString: env().DATABASE_URL,
    applicationName: "plinth-web",
    onError: (err) => log.warn({ err }, "notification listener"),
  });
  return holder.plinthListener;
}
