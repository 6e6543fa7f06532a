import type { Metadata, Viewport } from "next";
import { cookies, headers } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Toaster } from "@plinth/ui/toaster";
import { parseTheme, THEME_COOKIE, themeScript } from "@plinth/ui/lib/theme";
import { TRPCProvider } from "~/trpc/react.tsx";
import "./styles.css";

export const metadata: Metadata = {
  title: { default: "Plinth", template: "%s · Plinth" },
  description: "Multi-tenant SaaS backbone",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#16171d" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: the CSP's script nonce (src/proxy.ts) changes with each
  // request and Next.js can only put it on the scripts of a page it renders then. A prerendered
  // (static) page would ship scripts without the nonce, which the CSP blocks ('strict-dynamic').
  await connection();
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  // An explicit light/dark choice is rendered by the server; "system" is applied by the inline
  // script before the first paint (no flash either way). See @plinth/ui/lib/theme.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html
      lang="en"
      className={theme === "dark" ? "dark" : undefined}
      style={theme === "system" ? undefined : { colorScheme: theme }}
      suppressHydrationWarning
    >
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <TRPCProvider>{children}</TRPCProvider>
        <Toaster />
      </body>
    </html>
  );
}
