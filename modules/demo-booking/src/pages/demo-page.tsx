// The public /demo page (no sign-in). With CALENDLY_URL: Calendly's scheduling page in an
// iframe — a plain frame, not Calendly's widget script, so the CSP only adds its origin to
// frame-src on this page (apps/web/src/proxy.ts) and no third-party script runs here. Without:
// the built-in form.
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { demoBookingEnv } from "../env.ts";
import { DemoForm } from "./demo-form.tsx";

/** Calendly's inline-embed parameters: no cookie banner or event details inside our page. */
export function calendlyEmbedUrl(link: string): string {
  const url = new URL(link);
  url.searchParams.set("hide_gdpr_banner", "1");
  url.searchParams.set("embed_type", "Inline");
  return url.toString();
}

export function DemoBookingPage() {
  const calendlyUrl = demoBookingEnv().CALENDLY_URL;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Book a demo</CardTitle>
        <CardDescription>
          {calendlyUrl
            ? "Pick a time that suits you: the invitation arrives by email."
            : "Tell us who you are and what you would like to see: we reply within one business day."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {calendlyUrl ? (
          <>
            <iframe
              title="Schedule a demo with Calendly"
              src={calendlyEmbedUrl(calendlyUrl)}
              className="h-[680px] w-full rounded-md border-0"
              loading="lazy"
            />
            <p className="mt-3 text-sm text-muted-foreground">
              The calendar does not load?{" "}
              <a className="underline" href={calendlyUrl} target="_blank" rel="noreferrer">
                Open it on Calendly
              </a>
              .
            </p>
          </>
        ) : (
          <DemoForm />
        )}
      </CardContent>
    </Card>
  );
}
