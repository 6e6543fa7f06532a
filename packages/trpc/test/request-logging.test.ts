// Each request logs through its own child of the process logger: the request id and the user
// bound by createContext, the organization added by org procedures; secret fields redacted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@plinth/core/logger";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { SessionUser } from "@plinth/core/scope";
import { createCallerFactory, createContext } from "../src/index.ts";
import { orgProcedure } from "../src/procedures.ts";
import { appRouter } from "./kit.ts";
import { createTRPCRouter } from "../src/trpc.ts";
import { createOrganization, createUser, product } from "./kit.ts";

let db: TestDatabase;
let owner: SessionUser;
let organizationId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createUser(db, "logger-owner@example.com");
  organizationId = (await createOrganization(db, owner, "Logged Ltd")).id;
});
afterAll(() => db.drop());

// Procedures built on the real orgProcedure: one that logs secrets, one that fails unexpectedly.
const probeRouter = createTRPCRouter({
  logSomething: orgProcedure.mutation(({ ctx }) => {
    ctx.scope.logger.info(
      {
        password: "correct horse battery staple",
        headers: { authorization: "Bearer plinth_live_secret_key", accept: "text/html" },
      },
      "probe",
    );
    return null;
  }),
  fail: orgProcedure.query(() => {
    throw new Error("database on fire");
  }),
});

function capturingContext(user: SessionUser | null, requestId: string) {
  const lines: string[] = [];
  const logger = createLogger({ destination: { write: (line) => void lines.push(line) } });
  const ctx = createContext({ database: db, product, user, requestId, logger });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ctx, lines, parsed };
}

describe("request logger", () => {
  it("binds request id, user and organization, and redacts secret fields", async () => {
    const { ctx, lines, parsed } = capturingContext(owner, "req-probe-1");
    await createCallerFactory(probeRouter)(ctx).logSomething({ organizationId });
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "probe",
        requestId: "req-probe-1",
        userId: owner.id,
        organizationId,
        password: "[redacted]",
        headers: { authorization: "[redacted]", accept: "text/html" },
      }),
    ]);
    expect(lines.join("")).not.toContain("battery staple");
    expect(lines.join("")).not.toContain("plinth_live_secret_key");
  });

  it("logs an unexpected failure once, with the request's fields and the error's stack", async () => {
    const { ctx, parsed } = capturingContext(owner, "req-fail-2");
    await expect(
      createCallerFactory(probeRouter)(ctx).fail({ organizationId }),
    ).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: "error",
        msg: "procedure failed",
        path: "fail",
        requestId: "req-fail-2",
        userId: owner.id,
        organizationId,
        err: expect.objectContaining({ message: "database on fire" }) as unknown,
      }),
    ]);
  });

  it("an anonymous request's line carries its request id (and no user)", async () => {
    const { ctx, parsed } = capturingContext(null, "req-signup-3");
    await createCallerFactory(appRouter)(ctx).account.signUp({
      name: "Logged User",
      email: "logged-signup@example.com",
      password: "a long enough password",
    });
    const line = parsed().find((entry) => entry.msg === "account.signed_up");
    expect(line).toMatchObject({ level: "info", requestId: "req-signup-3" });
    expect(JSON.stringify(parsed())).not.toContain("a long enough password");
  });
});
