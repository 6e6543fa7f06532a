// The teams module's pages, mounted by the web app's route files under /o/[slug]/members
// (each a one-line re-export through apps/web/src/server/module-page.tsx).
export { MembersPage } from "./members-page.tsx";
