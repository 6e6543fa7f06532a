import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TRPCProvider } from "~/trpc/react.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Plinth", template: "%s · Plinth" },
  description: "Multi-tenant SaaS backbone",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCProvider>{children}</TRPCProvider>
      </body>
    </html>
  );
}
