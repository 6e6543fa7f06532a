// Minimal types for the parts of `oidc-provider` (ships no TypeScript types) the tests use.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";
  interface Account {
    accountId: string;
    claims(): Record<string, unknown> | Promise<Record<string, unknown>>;
  }
  interface Configuration {
    clients: Record<string, unknown>[];
    claims?: Record<string, string[]>;
    findAccount(ctx: unknown, sub: string): Account | Promise<Account>;
    features?: Record<string, unknown>;
    cookies?: { keys: string[] };
    conformIdTokenClaims?: boolean;
  }
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    proxy: boolean;
    on(event: string, listener: (...args: never[]) => void): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
