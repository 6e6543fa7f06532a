// A data export's download (the link emailed when the zip is ready, and the account page's):
// signed for one export, one user and one expiry (@plinth/platform/data-exports), and served
// only to that user signed in. Signed out: to the sign-in page and back. A bad, foreign or
// expired link is a short HTML page with its 4xx status, never a 500.
import { clientIp, currentSessionToken } from "@plinth/auth";
import { AppError, PROBLEM } from "@plinth/core/errors";
import { escapeHtml } from "@plinth/email";
import { dataExportLinkInput } from "@plinth/platform/contracts";
import { openDataExport } from "@plinth/platform/data-exports";
import { asUserScope } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { createContext } from "@plinth/trpc";
import { db } from "~/server/db.ts";
import { getSessionUser } from "~/server/session.ts";
import { requestIdFrom } from "~/server/trpc.ts";

export const dynamic = "force-dynamic";

const NOT_VALID = "This download link is not valid for your account.";

function page(status: number, message: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Download my data</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">
<h1 style="font-size:1.25rem">Your data export</h1><p>${escapeHtml(message)}</p>
<p><a href="/account#data">Go to your account</a></p></body></html>`;
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const url = new URL(request.url);
  const user = await getSessionUser();
  if (!user) {
    const back = encodeURIComponent(`${url.pathname}${url.search}`);
    return Response.redirect(new URL(`/sign-in?callbackUrl=${back}`, url), 303);
  }
  const input = dataExportLinkInput.safeParse({
    exportId: (await params).id,
    expires: url.searchParams.get("expires") ?? "",
    signature: url.searchParams.get("signature") ?? "",
  });
  if (!input.success) return page(404, NOT_VALID);

  const { scope } = createContext({
    database: db(),
    product: activeProduct(),
    user,
    requestId: requestIdFrom(request.headers),
    ipAddress: clientIp(request.headers),
    userAgent: request.headers.get("user-agent"),
    sessionToken: await currentSessionToken(),
  });
  try {
    const file = await openDataExport(asUserScope(scope), input.data);
    return new Response(Buffer.from(file.bytes), {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const { status } = PROBLEM[error.data.code];
    if (error.data.code === "INVALID_STATE") return page(status, error.data.detail);
    if (error.data.code === "NOT_FOUND") return page(status, NOT_VALID);
    return page(status, PROBLEM[error.data.code].title);
  }
}
