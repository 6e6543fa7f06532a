// A module's page behind its route (apps/web/src/app/o/[slug]/<segment>/page.tsx, one line):
// the app answers 404 when the product does not enable the module, resolves the signed-in
// member's organization (sign-in redirect, 404 for a non-member) and hands the page the
// organization, this request's caller and the search parameters (@plinth/web-kit/page).
import "server-only";
import type { ModulePage, SearchParams } from "@plinth/web-kit/page";
import { requireModule } from "./modules.ts";
import { requireOrganization } from "./organization.ts";
import type { api } from "./trpc.ts";

type AppCaller = Awaited<ReturnType<typeof api>>;

interface RouteProps {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}

/** The route component of `Page`, a page of the module `moduleKey`. */
export function modulePage(moduleKey: string, Page: ModulePage<AppCaller>) {
  return async function ModuleRoute({ params, searchParams }: RouteProps) {
    requireModule(moduleKey);
    const { slug } = await params;
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
        searchParams={await searchParams}
      />
    );
  };
}
