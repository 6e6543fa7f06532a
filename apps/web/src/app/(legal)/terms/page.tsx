import type { Metadata } from "next";
import { LegalPage } from "../legal-page.tsx";
import { TERMS_OF_SERVICE } from "../legal-texts.ts";

export const metadata: Metadata = { title: "Terms of service" };

/** Public: what sign-up and the terms step (/accept-terms) ask users to accept. */
export default function TermsPage() {
  return (
    <LegalPage text={TERMS_OF_SERVICE} other={{ href: "/privacy", label: "privacy notice" }} />
  );
}
