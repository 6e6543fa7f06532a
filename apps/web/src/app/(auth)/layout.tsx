import type { ReactNode } from "react";
import { CenteredPage } from "@plinth/ui/centered-page";
import { LegalLinks } from "~/components/legal-links.tsx";

export default function AuthLayout({ children }: { children: ReactNode }) {
  // The terms and the privacy notice, linked from sign-in, sign-up and the terms step.
  return <CenteredPage footer={<LegalLinks />}>{children}</CenteredPage>;
}
