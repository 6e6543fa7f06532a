// The invitation token inside a callbackUrl (the callbackUrl rule itself is
// packages/auth/test/redirect.test.ts).
import { describe, expect, it } from "vitest";
import { invitationTokenOf } from "../src/server/callback-url.ts";

describe("invitationTokenOf", () => {
  const token = "A".repeat(43);
  it("finds the token of an invitation page only", () => {
    expect(invitationTokenOf(`/invite/${token}`)).toBe(token);
    expect(invitationTokenOf(`/invite/${token}/x`)).toBeNull();
    expect(invitationTokenOf("/invite/short")).toBeNull();
    expect(invitationTokenOf("/account")).toBeNull();
  });
});
