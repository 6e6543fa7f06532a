// The shared SSRF guard (webhook deliveries, organizations' AI provider URLs): the ahead-of-time
// check and the connect-time lookup refuse private, loopback and link-local destinations — by
// IP literal and by name — and the refusal is found however deeply a client wrapped it.
import { describe, expect, it } from "vitest";
import {
  DestinationRefusedError,
  checkLiteralHost,
  checkPublicDestination,
  destinationRefusal,
  guardedLookup,
} from "../src/ssrf.ts";

describe("checkPublicDestination", () => {
  it("accepts a public IP literal without a lookup", async () => {
    expect(await checkPublicDestination(new URL("https://1.1.1.1/v1"))).toEqual({ ok: true });
    expect(await checkPublicDestination(new URL("https://[2606:4700:4700::1111]/"))).toEqual({
      ok: true,
    });
  });

  it("refuses private literals, names that resolve to loopback, and names that do not resolve", async () => {
    for (const url of [
      "http://127.0.0.1:8080/",
      "http://10.0.0.1/",
      "http://169.254.169.254/latest",
      "http://[::1]/",
      "http://[fd00::1]/",
      "http://0.0.0.0/",
    ]) {
      const checked = await checkPublicDestination(new URL(url));
      expect(checked, url).toMatchObject({ ok: false });
      if (!checked.ok) expect(checked.reason, url).toMatch(/private, loopback or link-local/);
    }
    expect(await checkPublicDestination(new URL("http://localhost:3000/"))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/localhost is a private/) as unknown,
    });
    expect(await checkPublicDestination(new URL("http://nowhere.invalid/"))).toMatchObject({
      ok: false,
      reason: "nowhere.invalid does not resolve",
    });
  });
});

describe("the connect-time guard", () => {
  it("checkLiteralHost throws for a private literal and lets names and public literals pass", () => {
    expect(() => checkLiteralHost("127.0.0.1")).toThrow(DestinationRefusedError);
    expect(() => checkLiteralHost("[::1]")).toThrow(DestinationRefusedError);
    expect(() => checkLiteralHost("1.1.1.1")).not.toThrow();
    expect(() => checkLiteralHost("example.com")).not.toThrow();
  });

  it("guardedLookup fails a name that resolves to loopback", async () => {
    const error = await new Promise<unknown>((resolve) => {
      guardedLookup("localhost", {}, (failure) => resolve(failure));
    });
    expect(error).toBeInstanceOf(DestinationRefusedError);
    expect(
      destinationRefusal(
        new Error("fetch failed", { cause: new TypeError("x", { cause: error }) }),
      ),
    ).toBe(error);
    expect(destinationRefusal(new Error("other"))).toBeNull();
  });
});
