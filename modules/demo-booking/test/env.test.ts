// The module's configuration: nothing set is the built-in form, its default operator inbox and
// no webhook; a scheduling link that is not Calendly's (the CSP frames only that origin) or a
// malformed notify address is refused with a message naming the key.
import { describe, expect, it } from "vitest";
import { parseDemoBookingEnv } from "../src/env.ts";
import { calendlyEmbedUrl } from "../src/pages/demo-page.tsx";

describe("demo-booking configuration", () => {
  it("defaults: no Calendly, no webhook key, the default operator inbox", () => {
    expect({ ...parseDemoBookingEnv({}) }).toEqual({
      CALENDLY_URL: undefined,
      CALENDLY_WEBHOOK_SIGNING_KEY: undefined,
      DEMO_BOOKING_NOTIFY_EMAIL: "sales@plinth.local",
    });
  });

  it("accepts a Calendly scheduling link and frames it with the inline-embed parameters", () => {
    const env = parseDemoBookingEnv({ CALENDLY_URL: "https://calendly.com/plinth/demo" });
    expect(env.CALENDLY_URL).toBe("https://calendly.com/plinth/demo");
    expect(calendlyEmbedUrl(env.CALENDLY_URL ?? "")).toBe(
      "https://calendly.com/plinth/demo?hide_gdpr_banner=1&embed_type=Inline",
    );
  });

  it.each([
    ["CALENDLY_URL", "https://evil.example/plinth/demo"],
    ["CALENDLY_URL", "http://calendly.com/plinth/demo"],
    ["CALENDLY_WEBHOOK_SIGNING_KEY", "short"],
    ["DEMO_BOOKING_NOTIFY_EMAIL", "not an address"],
  ])("refuses %s=%s", (key, value) => {
    expect(() => parseDemoBookingEnv({ [key]: value })).toThrow(
      new RegExp(`Invalid demo-booking configuration:[\\s\\S]*${key}`),
    );
  });
});
