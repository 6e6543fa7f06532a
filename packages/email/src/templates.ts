// Email templates as plain functions returning subject, html and text.
export interface RenderedEmail {
  template: string;
  subject: string;
  html: string;
  text: string;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Wraps paragraphs (plain text, escaped here) and an optional button in the shared layout. */
export function layout(input: {
  title: string;
  paragraphs: string[];
  action?: { label: string; url: string };
}): { html: string; text: string } {
  const body = input.paragraphs
    .map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`)
    .join("\n");
  const button = input.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(input.action.url)}" style="background:#111827;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(input.action.label)}</a></p>`
    : "";
  const html = `<!doctype html>
<html><body style="font-family:system-ui,-apple-system,sans-serif;color:#111827;background:#f9fafb;padding:24px">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px">
<h1 style="font-size:20px;margin:0 0 24px">${escapeHtml(input.title)}</h1>
${body}
${button}
<p style="margin:32px 0 0;color:#6b7280;font-size:12px">Sent by Plinth</p>
</div></body></html>`;
  const text = [
    input.title,
    "",
    ...input.paragraphs.flatMap((p) => [p, ""]),
    ...(input.action ? [`${input.action.label}: ${input.action.url}`, ""] : []),
    "-- Sent by Plinth",
  ].join("\n");
  return { html, text };
}

const formatDate = (date: Date) =>
  date.toLocaleDateString("en-US", {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });

export function trialEndingSoon(input: {
  organizationName: string;
  trialEndsAt: Date;
  billingUrl: string;
}): RenderedEmail {
  const days = Math.max(0, Math.ceil((input.trialEndsAt.getTime() - Date.now()) / 86_400_000));
  const when = days <= 1 ? "within a day" : `in ${days} days`;
  return {
    template: "trial-ending",
    subject: `Your ${input.organizationName} trial ends ${when}`,
    ...layout({
      title: "Your trial is ending soon",
      paragraphs: [
        `The trial of ${input.organizationName} ends on ${formatDate(input.trialEndsAt)}.`,
        "Choose a plan to keep your projects, members and API keys working without interruption.",
      ],
      action: { label: "Choose a plan", url: input.billingUrl },
    }),
  };
}

export function trialEnded(input: {
  organizationName: string;
  trialEndsAt: Date;
  billingUrl: string;
}): RenderedEmail {
  return {
    template: "trial-ended",
    subject: `Your ${input.organizationName} trial has ended`,
    ...layout({
      title: "Your trial has ended",
      paragraphs: [
        `The trial of ${input.organizationName} ended on ${formatDate(input.trialEndsAt)}.`,
        "Your data is safe. Choose a plan to continue where you left off.",
      ],
      action: { label: "Choose a plan", url: input.billingUrl },
    }),
  };
}

/** An invitation to join an organization; `acceptUrl` carries the plain token (only here). */
export function invitation(input: {
  organizationName: string;
  inviterName: string;
  role: "OWNER" | "ADMIN" | "MEMBER";
  acceptUrl: string;
  expiresAt: Date;
}): RenderedEmail {
  const role = input.role.toLowerCase();
  return {
    template: "invitation",
    subject: `${input.inviterName} invited you to ${input.organizationName} on Plinth`,
    ...layout({
      title: `Join ${input.organizationName}`,
      paragraphs: [
        `${input.inviterName} invited you to join ${input.organizationName} on Plinth as ${/^[aeiou]/.test(role) ? "an" : "a"} ${role}.`,
        `The invitation is valid until ${formatDate(input.expiresAt)} and works once. Sign in (or create an account) with this email address to accept it.`,
        "If you did not expect this invitation, you can ignore this email.",
      ],
      action: { label: "Accept the invitation", url: input.acceptUrl },
    }),
  };
}

/** "Download my data" is ready: a signed link to the zip, for the signed-in owner only. */
export function dataExportReady(input: { downloadUrl: string; expiresAt: Date }): RenderedEmail {
  return {
    template: "data-export-ready",
    subject: "Your Plinth data export is ready",
    ...layout({
      title: "Your data export is ready",
      paragraphs: [
        "The copy of your data you asked for is ready: one zip file with your account's data (data.json) and the files that belong to you, such as practice recordings and transcripts.",
        `The link works until ${formatDate(input.expiresAt)}, only while you are signed in to this account. After that the file is deleted; you can ask for a new one on your account page.`,
        "If you did not ask for this export, change your password and sign out everywhere from your account page.",
      ],
      action: { label: "Download my data", url: input.downloadUrl },
    }),
  };
}

// ─── Billing (dunning) ────────────────────────────────────────────────────────────────────

export function paymentFailed(input: {
  organizationName: string;
  amount: string | null;
  graceEndsAt: Date | null;
  billingUrl: string;
}): RenderedEmail {
  return {
    template: "payment-failed",
    subject: `Payment failed for ${input.organizationName}`,
    ...layout({
      title: "We couldn't take your payment",
      paragraphs: [
        `The latest payment${input.amount ? ` of ${input.amount}` : ""} for ${input.organizationName} failed.`,
        input.graceEndsAt
          ? `Everything keeps working until ${formatDate(input.graceEndsAt)}. After that the organization becomes read-only until the invoice is paid.`
          : "Update your payment method to keep the organization fully working.",
      ],
      action: { label: "Update payment method", url: input.billingUrl },
    }),
  };
}

export function paymentGraceEnding(input: {
  organizationName: string;
  graceEndsAt: Date;
  billingUrl: string;
}): RenderedEmail {
  return {
    template: "payment-grace-ending",
    subject: `${input.organizationName} becomes read-only on ${formatDate(input.graceEndsAt)}`,
    ...layout({
      title: "Your payment is still overdue",
      paragraphs: [
        `We still couldn't collect the payment for ${input.organizationName}.`,
        `On ${formatDate(input.graceEndsAt)} the organization becomes read-only: data stays readable, but changes are refused until the invoice is paid.`,
      ],
      action: { label: "Pay now", url: input.billingUrl },
    }),
  };
}

export function accessRestricted(input: {
  organizationName: string;
  billingUrl: string;
}): RenderedEmail {
  return {
    template: "access-restricted",
    subject: `${input.organizationName} is now read-only`,
    ...layout({
      title: "Your organization is read-only",
      paragraphs: [
        `The payment for ${input.organizationName} is overdue and the grace period has ended.`,
        "Your data is safe and readable. Pay the open invoice to make changes again.",
      ],
      action: { label: "Pay now", url: input.billingUrl },
    }),
  };
}
