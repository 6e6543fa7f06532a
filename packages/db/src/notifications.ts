// PostgreSQL LISTEN/NOTIFY for caches that must hear about changes made by other processes:
// API-key revocation (packages/api-keys) today, catalog changes next. One dedicated
// connection per listener (a pooled connection cannot hold LISTEN), reconnected with
// exponential backoff; a heartbeat replaces a connection that stopped answering (a half-open
// TCP connection delivers nothing and never errors). Notifications sent while disconnected
// are lost, so `onReconnect` handlers run after every reconnect: caches clear themselves there.
import pg from "pg";

export type NotificationHandler = (payload: string) => void;

export interface NotificationListenerOptions {
  connectionString: string;
  /** Shown in pg_stat_activity (default "plinth-listener"). */
  applicationName?: string;
  /** First reconnect delay; doubles per failed attempt up to maxBackoffMs (default 100). */
  minBackoffMs?: number;
  /** Default 10 s. */
  maxBackoffMs?: number;
  /** How often the connection is pinged (default 10 s)... */
  heartbeatIntervalMs?: number;
  /** ...and how long a ping may take before the connection is replaced (default 5 s). */
  heartbeatTimeoutMs?: number;
  /** Connection losses and failed attempts, for logging. */
  onError?: (error: unknown) => void;
}

export interface NotificationListener {
  /** Calls `handler` with each payload NOTIFYed on `channel`. Returns the unsubscribe. */
  subscribe(channel: string, handler: NotificationHandler): () => void;
  /** Runs after each reconnect (not the first connect): notifications may have been missed. */
  onReconnect(handler: () => void): () => void;
  /** Connected and listening: a change made now will be heard. */
  readonly connected: boolean;
  /** Reconnects so far (for metrics and tests). */
  readonly reconnects: number;
  /** Resolves once connected and listening for the first time. */
  ready(): Promise<void>;
  /** Closes the connection and stops reconnecting. */
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export function createNotificationListener(
  options: NotificationListenerOptions,
): NotificationListener {
  const minBackoffMs = options.minBackoffMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 10_000;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 5_000;
  const handlers = new Map<string, Set<NotificationHandler>>();
  const reconnectHandlers = new Set<() => void>();

  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let everConnected = false;
  let reconnects = 0;
  let failedAttempts = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));

  const report = (error: unknown) => options.onError?.(error);

  function dispatch(channel: string, payload: string) {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        report(error);
      }
    }
  }

  /** Drops `lost` (if it is still the current connection) and schedules a new one. */
  function connectionLost(lost: pg.Client, error?: unknown) {
    if (client !== lost) return;
    client = null;
    connected = false;
    if (error) report(error);
    lost.end().catch(() => undefined);
    scheduleConnect();
  }

  function scheduleConnect() {
    if (closed || retryTimer) return;
    const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** failedAttempts);
    // Full jitter keeps many gateways from reconnecting in lockstep after a database restart.
    const delay =
      failedAttempts === 0 ? 0 : Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    // Until the first connection, a caller may be awaiting ready() with nothing else keeping the
    // process alive: an unref'd timer would let Node exit (code 13, unsettled top-level await).
    if (everConnected) retryTimer.unref();
  }

  async function connect() {
    const next = new pg.Client({
      connectionString: options.connectionString,
      application_name: options.applicationName ?? "plinth-listener",
      keepAlive: true,
    });
    next.on("notification", (message) => dispatch(message.channel, message.payload ?? ""));
    next.on("error", (error) => connectionLost(next, error));
    next.on("end", () => connectionLost(next));
    client = next;
    try {
      await next.connect();
      for (const channel of handlers.keys()) await next.query(`LISTEN ${channel}`);
    } catch (error) {
      failedAttempts++;
      connectionLost(next, error);
      return;
    }
    if (client !== next || closed) return;
    connected = true;
    failedAttempts = 0;
    if (everConnected) {
      reconnects++;
      for (const handler of reconnectHandlers) {
        try {
          handler();
        } catch (error) {
          report(error);
        }
      }
    }
    everConnected = true;
    resolveReady();
  }

  const heartbeat = setInterval(() => {
    const current = client;
    if (!current || !connected) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`listener heartbeat: no answer in ${heartbeatTimeoutMs} ms`)),
        heartbeatTimeoutMs,
      );
    });
    Promise.race([current.query("SELECT 1"), timeout])
      .catch((error: unknown) => connectionLost(current, error))
      .finally(() => clearTimeout(timer));
  }, heartbeatIntervalMs);
  heartbeat.unref();

  scheduleConnect();

  return {
    subscribe(channel, handler) {
      if (!CHANNEL.test(channel)) throw new Error(`Invalid notification channel "${channel}"`);
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        const current = client;
        if (current && connected) {
          current
            .query(`LISTEN ${channel}`)
            .catch((error: unknown) => connectionLost(current, error));
        }
      }
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size > 0 || handlers.get(channel) !== set) return;
        handlers.delete(channel);
        const current = client;
        if (current && connected) current.query(`UNLISTEN ${channel}`).catch(() => undefined);
      };
    },
    onReconnect(handler) {
      reconnectHandlers.add(handler);
      return () => reconnectHandlers.delete(handler);
    },
    get connected() {
      return connected;
    },
    get reconnects() {
      return reconnects;
    },
    ready: () => readyPromise,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(retryTimer);
      const current = client;
      client = null;
      connected = false;
      await current?.end().catch(() => undefined);
    },
  };
}
