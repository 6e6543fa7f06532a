import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TRPCProvider } from "~/trpc/react.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Plinth", template: "%s · Plinth" },
  description: "Multi-tenant SaaS backbone",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: the CSP's script nonce (src/proxy.ts) changes with each
  // request and Next.js can only put it on the scripts of a page it renders then. A prerendered
  // (static) page would ship scripts without the nonce, which the CSP blocks ('strict-dynamic').
  await connection();
  return (
    <html lang="en">
      <body>
        <TRPCProvider>{children}</TRPCProvider>
      </body>
    </html>
  );
}
