import type { ReactNode } from "react";
import { CenteredPage } from "@plinth/ui/centered-page";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return <CenteredPage>{children}</CenteredPage>;
}
