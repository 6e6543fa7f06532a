import type { ReactNode } from "react";
import { CenteredPage } from "@plinth/ui/centered-page";
import { LegalLinks } from "~/components/legal-links.tsx";

/** The terms and the privacy notice: public, signed out or not, terms accepted or not. */
export default function LegalLayout({ children }: { children: ReactNode }) {
  return (
    <CenteredPage width="lg" footer={<LegalLinks />}>
      {children}
    </CenteredPage>
  );
}
