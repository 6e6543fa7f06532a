// The logger factory: JSON lines with level names, lines below the level never written, and
// secret-looking fields redacted in the fields, nested objects and child bindings.
import { describe, expect, it, vi } from "vitest";
import { createLogger, lazyChildLogger, type CreateLoggerOptions } from "../src/logger.ts";

function capture(options: CreateLoggerOptions = {}) {
  const lines: string[] = [];
  const log = createLogger({ ...options, destination: { write: (line) => void lines.push(line) } });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, parsed };
}

describe("createLogger", () => {
  it("writes one JSON object per line with the level's name, an ISO time and the message", () => {
    const { log, lines, parsed } = capture();
    log.info({ organizationId: "org_1" }, "project created");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    expect(parsed()[0]).toMatchObject({
      level: "info",
      msg: "project created",
      organizationId: "org_1",
    });
    expect(new Date(String(parsed()[0]?.time)).toISOString()).toBe(parsed()[0]?.time);
  });

  it("drops lines below its level", () => {
    const { log, parsed } = capture({ level: "warn" });
    log.debug("noise");
    log.info("noise");
    log.warn("kept");
    expect(parsed().map((line) => line.msg)).toEqual(["kept"]);
    expect(log.isLevelEnabled("debug")).toBe(false);
  });

  it("redacts secret-looking fields at the top, one and two levels down, and in bindings", () => {
    const { log, lines, parsed } = capture();
    const child = log.child({ requestId: "req_1", sessionToken: "tok-in-binding" });
    child.info(
      {
        password: "hunter2-top",
        user: { email: "a@example.com", passwordHash: "$argon2id$hash" },
        req: { headers: { authorization: "Bearer sk_live_nested", cookie: "a=b", host: "x" } },
        apiKey: "pk_key_value",
        "set-cookie": "session=abc",
        invite: { resetToken: "reset-value", webhookSecret: "whsec_value", tokens: 3 },
      },
      "signed in",
    );
    const [line] = parsed();
    expect(line).toMatchObject({
      requestId: "req_1",
      sessionToken: "[redacted]",
      password: "[redacted]",
      user: { email: "a@example.com", passwordHash: "[redacted]" },
      req: { headers: { authorization: "[redacted]", cookie: "[redacted]", host: "x" } },
      apiKey: "[redacted]",
      "set-cookie": "[redacted]",
      invite: { resetToken: "[redacted]", webhookSecret: "[redacted]", tokens: 3 },
    });
    for (const secret of [
      "hunter2",
      "argon2id",
      "sk_live",
      "tok-in-binding",
      "pk_key",
      "abc",
      "reset-value",
      "whsec_",
    ]) {
      expect(lines.join("")).not.toContain(secret);
    }
  });

  it("never changes the caller's object", () => {
    const { log } = capture();
    const fields = { user: { password: "kept-in-the-original" } };
    log.info(fields, "copy on write");
    expect(fields.user.password).toBe("kept-in-the-original");
  });

  it("serializes errors under err with their type, message and stack", () => {
    const { log, parsed } = capture();
    log.error({ err: new TypeError("boom") }, "job failed");
    expect(parsed()[0]).toMatchObject({
      level: "error",
      err: {
        type: "TypeError",
        message: "boom",
        stack: expect.stringContaining("TypeError: boom") as unknown,
      },
    });
  });
});

describe("lazyChildLogger", () => {
  it("makes the child only when something logs, then logs with its bindings", () => {
    const { log, parsed } = capture();
    const child = vi.spyOn(log, "child");
    const lazy = lazyChildLogger(log, { requestId: "req_9" });
    const nested = lazyChildLogger(lazy, { organizationId: "org_9" });
    expect(child).not.toHaveBeenCalled();
    nested.info({ step: 1 }, "first");
    nested.warn("second");
    // One child per level of nesting (pino's children inherit the spied method), each made once.
    expect(child).toHaveBeenCalledTimes(2);
    expect(parsed()).toEqual([
      expect.objectContaining({
        msg: "first",
        requestId: "req_9",
        organizationId: "org_9",
        step: 1,
      }),
      expect.objectContaining({ msg: "second", requestId: "req_9", organizationId: "org_9" }),
    ]);
  });

  it("answers as the child would: its level, and secrets in bindings redacted", () => {
    const { log, lines } = capture({ level: "warn" });
    const lazy = lazyChildLogger(log, { token: "tok-lazy" });
    expect(lazy.isLevelEnabled("info")).toBe(false);
    lazy.info("dropped");
    lazy.error("kept");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("tok-lazy");
  });
});
