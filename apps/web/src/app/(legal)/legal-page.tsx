import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader } from "@plinth/ui/card";
import type { LegalText } from "./legal-texts.ts";

/** One legal text with its version (the consent's) and effective date. */
export function LegalPage({
  text,
  other,
}: {
  text: LegalText;
  other: { href: string; label: string };
}) {
  return (
    <Card>
      <CardHeader>
        <h1 className="text-2xl font-semibold tracking-tight">{text.title}</h1>
        <CardDescription>
          Version <span data-testid="legal-version">{text.version}</span>, effective{" "}
          <time dateTime={text.effective}>{text.effective}</time>. See also the{" "}
          <Link className="font-medium text-primary underline underline-offset-4" href={other.href}>
            {other.label}
          </Link>
          .
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {text.sections.map((section) => (
          <section key={section.heading} className="grid gap-2">
            <h2 className="text-base font-semibold">{section.heading}</h2>
            {section.paragraphs.map((paragraph) => (
              <p key={paragraph} className="text-sm leading-6 text-muted-foreground">
                {paragraph}
              </p>
            ))}
          </section>
        ))}
      </CardContent>
    </Card>
  );
}
