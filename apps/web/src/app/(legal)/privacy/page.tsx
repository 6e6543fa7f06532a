import type { Metadata } from "next";
import { LegalPage } from "../legal-page.tsx";
import { PRIVACY_NOTICE } from "../legal-texts.ts";

export const metadata: Metadata = { title: "Privacy notice" };

/** Public: what is held about a user, why, by whom, how long, and their rights. */
export default function PrivacyPage() {
  return <LegalPage text={PRIVACY_NOTICE} other={{ href: "/terms", label: "terms of service" }} />;
}
