import Link from "next/link";
import { Button } from "@plinth/ui/button";
import { CenteredPage } from "@plinth/ui/centered-page";
import { StatusPage } from "@plinth/ui/status-page";

export default function NotFound() {
  return (
    <CenteredPage width="md">
      <StatusPage
        code="404"
        title="Page not found"
        actions={
          <Button asChild>
            <Link href="/">Go to Plinth</Link>
          </Button>
        }
      >
        This page does not exist, or you do not have access to it.
      </StatusPage>
    </CenteredPage>
  );
}
