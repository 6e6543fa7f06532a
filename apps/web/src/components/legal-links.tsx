// Links to the terms and the privacy notice: the auth pages' footer, the legal pages' own, the
// organization sidebar's footer, and inline where consent is asked.
import Link from "next/link";
import { cn } from "@plinth/ui/lib/utils";

export function LegalLinks({ className }: { className?: string }) {
  return (
    <nav
      aria-label="Legal"
      className={cn("flex flex-wrap justify-center gap-x-4 gap-y-1", className)}
    >
      <Link className="underline-offset-4 hover:underline" href="/terms">
        Terms of service
      </Link>
      <Link className="underline-offset-4 hover:underline" href="/privacy">
        Privacy notice
      </Link>
    </nav>
  );
}
