// A module's page behind its route (apps/web/src/app/o/[slug]/<segment>/page.tsx, one line):
// the app answers 404 when the product does not enable the module, resolves the signed-in
// member's organization (sign-in redirect, 404 for a non-member) and hands the page the
// organization, this request's caller, the route's other segments (e.g. [workspaceId]) and the
// search parameters (@plinth/web-kit/page).
import "server-only";
import type { ModulePage, SearchParams } from "@plinth/web-kit/page";
import { requireModule } from "./modules.ts";
import { requireOrganization } from "./organization.ts";
import type { api } from "./trpc.ts";

type AppCaller = Awaited<ReturnType<typeof api>>;

interface RouteProps<TParam extends string> {
  params: Promise<{ slug: string } & Record<TParam, string>>;
  searchParams: Promise<SearchParams>;
}

/**
 * The route component of `Page`, a page of the module `moduleKey`; `TParam` (inferred from the
 * page) names the route's segments besides the slug, e.g. `"workspaceId"`.
 */
export function modulePage<TParam extends string = never>(
  moduleKey: string,
  Page: ModulePage<AppCaller, TParam>,
) {
  return async function ModuleRoute({ params, searchParams }: RouteProps<TParam>) {
    requireModule(moduleKey);
    const { slug, ...segments }: { slug: string } & Record<string, string> = await params;
    const { user, organization, caller } = await requireOrganization(slug);
    return (
      <Page
        organization={{
          id: organization.id,
          slug: organization.slug,
          name: organization.name,
          role: organization.role,
          plan: organization.plan,
          limits: organization.limits,
        }}
        viewer={{ id: user.id }}
        caller={caller}
        // The route's other segments: TParam's, which the page names and its route file has.
        params={segments as Record<TParam, string>}
        searchParams={await searchParams}
      />
    );
  };
}
