// Domain ownership by DNS: the customer publishes `plinth-verification=<token>` as a TXT
// record at `_plinth-challenge.<domain>`; we look it up with node:dns's Resolver, pointed at
// configured nameservers (DNS_RESOLVERS) or the system's.
import { randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { domainNameSchema } from "./names.ts";

export const CHALLENGE_LABEL = "_plinth-challenge";
export const TOKEN_PREFIX = "plinth-verification=";

/** A fresh token for one domain (192 random bits, URL-safe). */
export function createVerificationToken(): string {
  return randomBytes(24).toString("base64url");
}

export interface VerificationRecord {
  type: "TXT";
  name: string;
  content: string;
}

/** What the customer publishes. Throws a ZodError for a string that is not a domain name. */
export function verificationRecord(domain: string, token: string): VerificationRecord {
  const name = domainNameSchema.parse(domain);
  return { type: "TXT", name: `${CHALLENGE_LABEL}.${name}`, content: `${TOKEN_PREFIX}${token}` };
}

export type VerificationResult =
  | { status: "verified"; record: VerificationRecord }
  | { status: "missing"; record: VerificationRecord }
  /** TXT records exist at the name, none with this token (`found`: what is there, capped). */
  | { status: "mismatch"; record: VerificationRecord; found: string[] }
  /** The lookup itself failed (timeout, SERVFAIL, refused): try again later. */
  | { status: "lookup_error"; record: VerificationRecord; code: string };

export interface VerifierOptions {
  /** Nameservers (`ip` or `ip:port`); empty: the system's. */
  servers?: readonly string[];
  timeoutMs?: number;
  tries?: number;
}

const NOT_THERE = new Set(["ENOTFOUND", "ENODATA"]);
const FOUND_CAP = 10;

export interface DomainVerifier {
  verify(domain: string, token: string): Promise<VerificationResult>;
}

export function createDomainVerifier(options: VerifierOptions = {}): DomainVerifier {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 5000, tries: options.tries ?? 2 });
  if (options.servers?.length) resolver.setServers([...options.servers]);
  return {
    async verify(domain, token) {
      const record = verificationRecord(domain, token);
      let answers: string[][];
      try {
        answers = await resolver.resolveTxt(record.name);
      } catch (error) {
        const code =
          error instanceof Error && "code" in error && typeof error.code === "string"
            ? error.code
            : "EUNKNOWN";
        return NOT_THERE.has(code)
          ? { status: "missing", record }
          : { status: "lookup_error", record, code };
      }
      // A TXT record longer than 255 bytes arrives in chunks: one record is their concatenation.
      const values = answers.map((chunks) => chunks.join("").trim());
      if (values.includes(record.content)) return { status: "verified", record };
      if (values.length === 0) return { status: "missing", record };
      return { status: "mismatch", record, found: values.slice(0, FOUND_CAP) };
    },
  };
}
