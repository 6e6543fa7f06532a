import type { ReactNode } from "react";
import { CenteredPage } from "@plinth/ui/centered-page";
import { LegalLinks } from "~/components/legal-links.tsx";

/** The demo page: public, signed out or not, like the legal texts. */
export default function DemoLayout({ children }: { children: ReactNode }) {
  return (
    <CenteredPage width="lg" footer={<LegalLinks />}>
      {children}
    </CenteredPage>
  );
}
