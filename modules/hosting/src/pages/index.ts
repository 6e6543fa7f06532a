// The hosting module's pages, mounted by the web app's route files under /o/[slug]/workspaces
// (each a one-line re-export through apps/web/src/server/module-page.tsx).
export { WorkspacePage } from "./workspace-page.tsx";
export { WorkspacesPage } from "./workspaces-page.tsx";
// The operator console's hosting dashboard (apps/web/src/app/admin/hosting) shows states too.
export { StateBadge } from "./state-badge.tsx";
