// The redirect-target rule (callbackUrl, returnTo): same-site paths only, no open redirect.
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "../src/redirect.ts";

const BASE = "https://app.example";

/** Where a browser would go with `Location: <target>` on a page of BASE. */
function browserTarget(target: string): URL {
  // Browsers strip tabs and newlines and read "\" as "/" before resolving (WHATWG URL).
  return new URL(target, BASE);
}

describe("safeRedirectPath", () => {
  it("keeps same-site paths with their query and fragment", () => {
    for (const path of [
      "/",
      "/o/acme/projects",
      "/invite/abc_DEF-123",
      "/account?tab=methods#sessions",
      "/o/acme/billing?checkout=success",
      // An encoded callbackUrl inside the query is fine: only the path is a redirect target.
      "/billing/test-checkout?plan=pro&returnTo=%2Fo%2Facme%2Fbilling",
      "/a%2Fb",
    ]) {
      expect(safeRedirectPath(path)).toBe(path);
    }
  });

  const evil = [
    "https://evil.example/",
    "http://evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\t/evil.example/",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\r/evil.example",
    "/\u0000/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    "/o/acme\n",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0D%0A/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%5c%5cevil.example",
    "/%00",
    "/%E0%A4%A",
    "/\ud800",
    "/a\udfff",
    " /o/acme",
    "\t/o/acme",
    "evil.example",
    "o/acme",
    "",
    `/${"a".repeat(3000)}`,
  ];

  it("refuses absolute, protocol-relative, control-character, encoded and over-long targets", () => {
    for (const target of evil) {
      expect(safeRedirectPath(target), JSON.stringify(target)).toBe("/");
    }
    for (const value of [null, undefined, 42, {}, ["/a"], new Blob(["/a"])]) {
      expect(safeRedirectPath(value)).toBe("/");
    }
    expect(safeRedirectPath(undefined, "/o/x/projects")).toBe("/o/x/projects");
    expect(safeRedirectPath("//evil.example", "/o/x/billing")).toBe("/o/x/billing");
  });

  it("resolves dot segments without leaving the site", () => {
    expect(safeRedirectPath("/a/../b")).toBe("/b");
    expect(safeRedirectPath("/a/%2e%2e/b")).toBe("/b");
    expect(safeRedirectPath("/..//evil.example")).toBe("/");
    expect(safeRedirectPath("/a/..//evil.example")).toBe("/");
    expect(safeRedirectPath("/a/%2e%2e//evil.example")).toBe("/");
    expect(safeRedirectPath("/./evil.example")).toBe("/evil.example");
  });

  it("keeps unicode look-alikes as same-site paths (percent-encoded)", () => {
    for (const lookalike of [
      "/\uff0f\uff0fevil.example", // fullwidth solidus
      "/\u2215\u2215evil.example", // division slash
      "/\u2044evil.example", // fraction slash
      "/\uff3cevil.example", // fullwidth reverse solidus
      "/ｅｖｉｌ.example",
    ]) {
      const result = safeRedirectPath(lookalike);
      expect(result.startsWith("/") && !result.startsWith("//"), result).toBe(true);
      expect(result).toMatch(/^[\x21-\x7e]+$/);
      expect(browserTarget(result).origin).toBe(BASE);
    }
  });

  it("never produces a target a browser resolves off-site, for any of the cases", () => {
    for (const target of [...evil, "/a/..//evil.example", "/\uff0f\uff0fevil.example"]) {
      const result = safeRedirectPath(target, "/fallback");
      expect(browserTarget(result).origin, JSON.stringify(target)).toBe(BASE);
      expect(result).toMatch(/^\/[\x21-\x7e]*$/);
    }
  });
});
