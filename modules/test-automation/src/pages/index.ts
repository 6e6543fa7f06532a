// The test automation module's pages, mounted by the web app's route files under
// /o/[slug]/tests (each a one-line re-export through apps/web/src/server/module-page.tsx).
export { TestRunPage } from "./run-page.tsx";
export { TestsPage } from "./tests-page.tsx";
