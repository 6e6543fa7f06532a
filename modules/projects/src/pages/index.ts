// The projects module's pages, mounted by the web app's route files under /o/[slug]/projects
// (each a one-line re-export through apps/web/src/server/module-page.tsx).
export { ProjectsPage } from "./projects-page.tsx";
