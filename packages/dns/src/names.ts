// Domain names as the DNS sees them: lower case, ASCII (IDNA), no trailing dot, labels of
// letters, digits and hyphens. Record names may also have underscore labels
// (_plinth-challenge) and a leading wildcard.
import { domainToASCII } from "node:url";
import { z } from "zod";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const UNDERSCORE_LABEL = /^_[a-z0-9-]{1,62}$/;

function normalize(name: string): string {
  return domainToASCII(name.trim().replace(/\.$/, "").toLowerCase());
}

function validName(name: string, allowRecordLabels: boolean): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split(".");
  if (labels.length < 2) return false;
  return labels.every(
    (label, index) =>
      LABEL.test(label) ||
      (allowRecordLabels && UNDERSCORE_LABEL.test(label)) ||
      (allowRecordLabels && index === 0 && label === "*"),
  );
}

/** A custom domain a customer brings: `shop.acme.com`. */
export const domainNameSchema = z
  .string()
  .max(253)
  .transform(normalize)
  .refine((name) => validName(name, false), "not a domain name");

/** The name of a record: a domain name, `_service` labels and a leading `*` allowed. */
export const recordNameSchema = z
  .string()
  .max(253)
  .transform(normalize)
  .refine((name) => validName(name, true), "not a DNS record name");
