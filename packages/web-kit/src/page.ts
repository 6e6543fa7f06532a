// What the web app hands a module's page (apps/web/src/server/module-page.tsx): the signed-in
// member's organization and user, a tRPC caller for this request, the route's own segments
// and the URL's search parameters. The page reads with the caller (typed by its module's own router slice: the app's caller is one
// of those) and renders its views; the app keeps the route, authentication and layout.
import type { ReactNode } from "react";

/** The organization a page renders for, as the app resolved it for the signed-in member. */
export interface PageOrganization {
  id: string;
  slug: string;
  name: string;
  role: "OWNER" | "ADMIN" | "MEMBER";
  plan: { key: string; name: string };
  /** The plan's limits (null: unlimited), e.g. `seats`. */
  limits: Readonly<Record<string, number | null>>;
}

export type SearchParams = Record<string, string | string[] | undefined>;

/**
 * A page's props. `TParam` names the route's dynamic segments besides the organization's slug
 * (`"workspaceId"` for /o/[slug]/workspaces/[workspaceId]): raw URL text, which the page
 * validates (`urlParameter` of @plinth/core/inputs) before reading with it.
 */
export interface ModulePageProps<TCaller, TParam extends string = never> {
  organization: PageOrganization;
  /** The signed-in user the page renders for. */
  viewer: { id: string };
  caller: TCaller;
  params: Readonly<Record<TParam, string>>;
  searchParams: SearchParams;
}

export type ModulePage<TCaller, TParam extends string = never> = (
  props: ModulePageProps<TCaller, TParam>,
) => Promise<ReactNode>;

/** One search parameter as a string (the first when repeated), or null. */
export function searchParam(params: SearchParams, name: string): string | null {
  const value = params[name];
  return typeof value === "string" ? value : (value?.[0] ?? null);
}
