// Per-request Content-Security-Policy with a script nonce: Next.js reads the nonce from the
// request's CSP header and puts it on its own inline scripts, so scripts need no
// 'unsafe-inline'. (Styles keep 'unsafe-inline': React style attributes.) The other security
// headers are static and live in next.config.ts.
// It is also the one place pages check the terms step (src/server/terms-step.ts): a signed-in
// user without the terms in force is sent to /accept-terms first.
import { NextResponse, type NextRequest } from "next/server";
import { CALENDLY_ORIGIN } from "@plinth/demo-booking/env";
import { socketOrigins } from "@plinth/product/socket-origins";
import { proxyUserScope } from "~/server/page-scope.ts";
import { termsStepGuards, termsStepRedirect } from "~/server/terms-step.ts";

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Open pages (and server actions) skip the session lookup altogether.
  if (termsStepGuards(request.method, pathname)) {
    const step = await termsStepRedirect(await proxyUserScope(request.headers), {
      method: request.method,
      pathname,
      search,
    });
    if (step) return NextResponse.redirect(new URL(step, request.url));
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const development = process.env.NODE_ENV !== "production"; // eslint-disable-line no-restricted-properties -- build-time constant
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The product's sockets (the practice socket on the gateway) are another origin.
    `connect-src 'self'${development ? " ws: wss:" : ""}${socketOrigins()
      .map((origin) => ` ${origin}`)
      .join("")}`,
    // /demo frames Calendly's scheduling page (demo-booking): that page only, that origin only.
    `frame-src 'self'${pathname === "/demo" ? ` ${CALENDLY_ORIGIN}` : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  if (!requestHeaders.get("x-request-id")) requestHeaders.set("x-request-id", crypto.randomUUID());

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  response.headers.set("x-request-id", requestHeaders.get("x-request-id") ?? "");
  return response;
}

export const config = {
  matcher: [
    // Pages only: not API routes, static files or images.
    { source: "/((?!api/|_next/static|_next/image|favicon.ico).*)" },
  ],
};
