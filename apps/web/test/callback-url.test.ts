// The after-sign-in/up redirect target: same-site paths only (no open redirect).
import { describe, expect, it } from "vitest";
import { invitationTokenOf, safeCallbackUrl } from "../src/server/callback-url.ts";

describe("safeCallbackUrl", () => {
  it("keeps same-site paths with their query and fragment", () => {
    for (const path of [
      "/",
      "/o/acme/projects",
      "/invite/abc_DEF-123",
      "/account?tab=methods#sessions",
    ]) {
      expect(safeCallbackUrl(path)).toBe(path);
    }
  });

  it("refuses absolute, protocol-relative and disguised URLs", () => {
    for (const evil of [
      "https://evil.example/",
      "http://evil.example",
      "javascript:alert(1)",
      "//evil.example",
      "///evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "\\\\evil.example",
      " /o/acme",
      "evil.example",
      "",
      `/${"a".repeat(3000)}`,
    ]) {
      expect(safeCallbackUrl(evil), JSON.stringify(evil)).toBe("/");
    }
    expect(safeCallbackUrl(null)).toBe("/");
    expect(safeCallbackUrl(undefined, "/o/x/projects")).toBe("/o/x/projects");
  });

  it("normalises dot segments without leaving the site", () => {
    expect(safeCallbackUrl("/a/../b")).toBe("/b");
    expect(safeCallbackUrl("/..//evil.example")).toBe("/");
    expect(safeCallbackUrl("/a/..//evil.example")).toBe("/");
  });
});

describe("invitationTokenOf", () => {
  const token = "A".repeat(43);
  it("finds the token of an invitation page only", () => {
    expect(invitationTokenOf(`/invite/${token}`)).toBe(token);
    expect(invitationTokenOf(`/invite/${token}/x`)).toBeNull();
    expect(invitationTokenOf("/invite/short")).toBeNull();
    expect(invitationTokenOf("/account")).toBeNull();
  });
});
