// The built-in form's two emails: the operator's notice and the requester's confirmation.
// (A Calendly booking sends none of ours: Calendly emails both sides itself.) Plain text in,
// escaped by @plinth/email's layout — names and messages are the public's input.
import { layout, type RenderedEmail } from "@plinth/email";

export interface DemoRequestForEmail {
  name: string;
  email: string;
  company: string | null;
  notes: string | null;
}

export function operatorNotice(request: DemoRequestForEmail, consoleUrl: string): RenderedEmail {
  const who = request.company ? `${request.name} (${request.company})` : request.name;
  return {
    template: "demo-request-operator",
    subject: `Demo requested: ${who}`,
    ...layout({
      title: "A demo request",
      paragraphs: [
        `${who} <${request.email}> asked for a demo through the demo form.`,
        ...(request.notes ? [`Their message: ${request.notes}`] : []),
        "Reply to them to arrange a time.",
      ],
      action: { label: "Open the demo bookings", url: consoleUrl },
    }),
  };
}

export function requesterConfirmation(request: DemoRequestForEmail): RenderedEmail {
  return {
    template: "demo-request-confirmation",
    subject: "We received your demo request",
    ...layout({
      title: "Thanks for your interest",
      paragraphs: [
        `Hello ${request.name},`,
        "We received your request for a demo and will reply within one business day to find a time.",
      ],
    }),
  };
}
